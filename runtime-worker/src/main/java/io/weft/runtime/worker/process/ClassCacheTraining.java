package io.weft.runtime.worker.process;

import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.endpoint.WorkerEndpoint;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import io.weft.wire.WireServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A worker's whole life in one process, against a master of its own over loopback: it proves itself, says hello,
 * runs one task ({@code Integer.valueOf}) and leaves. Run with {@code -XX:ArchiveClassesAtExit}, it loads the
 * classes a worker needs on its way to its first task, so a class-data archive of them can be made
 * ({@code WorkerMain --train-class-cache}; see the master's {@code ClassCache}).
 */
final class ClassCacheTraining {
    private ClassCacheTraining() {}

    static void run() throws IOException, InterruptedException {
        RunCredentials credentials = RunCredentials.generate();
        RunCredentials.warmUp();
        PayloadCodec.warmUp();
        Path dir = Files.createTempDirectory("weft-train-");
        CountDownLatch end = new CountDownLatch(1);
        WireServer master = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, WorkerMain.MAX_FRAME,
                new WireListener() {
                    @Override
                    public void received(WireConnection connection, Message message) {
                        if (message instanceof Message.Hello) {
                            connection.send(new Message.RunTask(1, 1, "java.lang.Integer", "valueOf",
                                    "(I)Ljava/lang/Integer;", -1, 1, 0, 0, 0, null, -1, new int[] {-1},
                                    PayloadCodec.serialize(new Object[] {7}), new Message.DataRef[0], 1, false, 0, false,
                                    new long[0]));
                        } else if (message instanceof Message.TaskDone) {
                            connection.send(new Message.Shutdown("trained"));
                        }
                    }
                });
        WireClient client = new WireClient(credentials, WorkerMain.MAX_FRAME);
        WorkerEndpoint endpoint = new WorkerEndpoint("train", 1, WorkerResources.cores(1), client, end::countDown,
                dir, 1 << 20);
        WireServer peers = WireServer.start(new InetSocketAddress("127.0.0.1", 0), credentials, WorkerMain.MAX_FRAME,
                endpoint);
        try {
            WireConnection connection = client.connect(master.address(), endpoint).get(30, TimeUnit.SECONDS);
            endpoint.master(connection);
            connection.send(new Message.Hello("train", ProcessHandle.current().pid(), peers.address().getPort(),
                    "127.0.0.1"));
            end.await(30, TimeUnit.SECONDS);
            connection.close();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the training run could not connect: " + e.getMessage(), e);
        } finally {
            client.close();
            peers.close();
            master.close();
            WorkerMain.deleteQuietly(dir);
        }
    }
}
