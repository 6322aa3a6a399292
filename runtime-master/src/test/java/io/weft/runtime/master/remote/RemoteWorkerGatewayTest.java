package io.weft.runtime.master.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.wire.Message;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import io.weft.wire.WireServer;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master's side of one worker's connection, over a real socket, with this test playing the worker: it reads
 * what the gateway sends and answers by hand, in the orders a real worker's answers can come in.
 */
class RemoteWorkerGatewayTest {
    private static final int MAX_FRAME = 16 << 20;

    /** A task method for the attempts sent. */
    public static int square(int x) {
        return x * x;
    }

    private final RunCredentials credentials = RunCredentials.generate();
    private final BlockingQueue<Message> toWorker = new LinkedBlockingQueue<>();
    private WireServer server;
    private WireClient client;
    private WireConnection worker;
    private RemoteWorkerGateway gateway;

    @BeforeEach
    void connect() throws Exception {
        CompletableFuture<WireConnection> masterSide = new CompletableFuture<>();
        server = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, MAX_FRAME, new WireListener() {
            @Override
            public void authenticated(WireConnection connection) {
                masterSide.complete(connection);
            }

            @Override
            public void received(WireConnection connection, Message message) {
                gateway.received(message);
            }
        });
        client = new WireClient(credentials, MAX_FRAME);
        worker = client.connect(server.address(), (connection, message) -> toWorker.add(message))
                .get(10, TimeUnit.SECONDS);
        gateway = new RemoteWorkerGateway(0, "w1", masterSide.get(10, TimeUnit.SECONDS), new PeerDirectory(1),
                new AtomicLong(), (key, node) -> null, Runnable::run, (task, node, status) -> { });
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private static TaskExecution attempt(long id, int attempt) throws NoSuchMethodException {
        return new TaskExecution(id, "square", RemoteWorkerGatewayTest.class.getMethod("square", int.class),
                new Object[] {7}, new int[] {-1}, -1, new Binding[0], attempt, -1, ResourceDemand.ONE_CORE, null,
                false, 0, false);
    }

    private static Message.Produced inline(byte[] bytes) {
        return new Message.Produced(Message.Produced.INLINE, bytes, 0, bytes.length, Integer.class.getName());
    }

    private <T extends Message> T next(Class<T> type) throws InterruptedException {
        Message m = toWorker.poll(10, TimeUnit.SECONDS);
        assertThat(m).isInstanceOf(type);
        return type.cast(m);
    }

    /** An attempt sent, the withdrawal asked for it, and that request's number on the wire. */
    private record Asked(CompletableFuture<TaskOutcome> attempt, CompletableFuture<Void> answered, long request) {}

    /** The first attempt at task 1, sent to the worker, which is then asked to give it back. */
    private Asked sentAndAskedBack() throws Exception {
        CompletableFuture<TaskOutcome> first = gateway.execute(attempt(1, 1), null);
        next(Message.RunTask.class);
        CompletableFuture<Void> answered = gateway.withdraw(new long[] {1});
        return new Asked(first, answered, next(Message.Withdraw.class).request());
    }

    @Test
    void aWithdrawnAnswer_givesBackTheAttemptItWasAskedFor_notOneSentAfterTheRequest() throws Exception {
        Asked asked = sentAndAskedBack();
        // The master takes the task back before the answer comes (a lost worker's producer, say) and sends it here
        // again: the worker read the request before this attempt, so the answer is not about it.
        gateway.droppedAhead(1);
        CompletableFuture<TaskOutcome> second = gateway.execute(attempt(1, 2), null);
        assertThat(next(Message.RunTask.class).attempt()).isEqualTo(2);

        worker.send(new Message.Withdrawn(asked.request(), new long[] {1}));
        asked.answered().get(10, TimeUnit.SECONDS);
        assertThat(second).isNotDone();
        assertThat(asked.attempt()).isNotDone(); // taken back by the master already: its outcome no longer counts

        worker.send(new Message.TaskDone(1, 2, 0, 1000, System.nanoTime(), new int[] {0}, new int[0],
                inline(io.weft.runtime.worker.objects.PayloadCodec.serialize(49)),
                new Message.Produced[0], new byte[0], "", new String[0]));
        TaskOutcome outcome = second.get(10, TimeUnit.SECONDS);
        assertThat(outcome.isWithdrawn()).isFalse();
        assertThat(outcome.error()).isNull();
    }

    @Test
    void aWithdrawnAnswer_givesBackTheAttemptItNames() throws Exception {
        Asked asked = sentAndAskedBack();

        worker.send(new Message.Withdrawn(asked.request(), new long[] {1}));
        asked.answered().get(10, TimeUnit.SECONDS);
        assertThat(asked.attempt().get(10, TimeUnit.SECONDS).isWithdrawn()).isTrue();
    }
}
