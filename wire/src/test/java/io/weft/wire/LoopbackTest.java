package io.weft.wire;

import static io.weft.wire.WireTestSupport.ACCEPT;
import static io.weft.wire.WireTestSupport.CHALLENGE;
import static io.weft.wire.WireTestSupport.HEADER_BYTES;
import static io.weft.wire.WireTestSupport.MAX_FRAME;
import static io.weft.wire.WireTestSupport.PROOF;
import static io.weft.wire.WireTestSupport.concat;
import static io.weft.wire.WireTestSupport.eventually;
import static io.weft.wire.WireTestSupport.frame;
import static io.weft.wire.WireTestSupport.otherSecret;
import static io.weft.wire.WireTestSupport.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.weft.wire.WireTestSupport.Recorder;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real connections on 127.0.0.1: WireServer and WireClient, and raw sockets playing bad peers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopbackTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int CHALLENGE_FRAME_BYTES = 4 + HEADER_BYTES + 32;

    private final RunCredentials creds = RunCredentials.generate();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Answers every ping with a pong carrying the same values. */
    static class EchoingRecorder extends Recorder {
        @Override
        public void received(WireConnection connection, Message message) {
            super.received(connection, message);
            if (message instanceof Message.Ping p) {
                connection.send(new Message.Pong(p.sequence(), p.sentNanos()));
            }
        }
    }

    private WireServer server(WireListener listener) {
        WireServer s = WireServer.start(loopback(0), creds, MAX_FRAME, listener);
        resources.push(s);
        return s;
    }

    private WireClient client(RunCredentials c) {
        WireClient client = new WireClient(c, MAX_FRAME);
        resources.push(client);
        return client;
    }

    private Socket rawSocket(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        resources.push(s);
        s.connect(address, 5_000);
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    /** Reads until the peer closes; true if it did (end of stream, or a reset) within the socket's timeout. */
    private static boolean readsUntilClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[1024];
        try {
            while (true) {
                if (in.read(buffer) == -1) {
                    return true;
                }
            }
        } catch (SocketException e) {
            // The server closed while bytes we sent were still unread: the kernel answers with a reset.
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    /** What an honest accepting side sends first: a CHALLENGE frame of this run. */
    private void assertReceivesAChallenge(Socket s) throws IOException {
        byte[] challenge = new byte[CHALLENGE_FRAME_BYTES];
        new DataInputStream(s.getInputStream()).readFully(challenge);
        ByteBuffer b = ByteBuffer.wrap(challenge);
        assertThat(b.getInt()).isEqualTo(HEADER_BYTES + 32);
        assertThat(b.get()).isEqualTo((byte) WireTestSupport.VERSION);
        assertThat(b.get()).isEqualTo((byte) CHALLENGE);
        assertThat(new UUID(b.getLong(), b.getLong())).isEqualTo(creds.runId());
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        Throwable t = catchThrowable(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).as("the future fails").isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    // ---- good peers ---------------------------------------------------------------------------------------------

    @Test
    void matchingCredentials_authenticate_andAPingIsAnsweredWithAPong() throws Exception {
        EchoingRecorder serverSide = new EchoingRecorder();
        WireServer server = server(serverSide);
        Recorder clientSide = new Recorder();

        WireConnection connection = client(creds).connect(server.address(), clientSide)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        connection.send(new Message.Ping(42, 1_234_567L));

        assertThat(eventually(WAIT, () -> !clientSide.received.isEmpty())).as("a pong arrives").isTrue();
        assertThat(clientSide.received).containsExactly(new Message.Pong(42, 1_234_567L));
        assertThat(serverSide.received).containsExactly(new Message.Ping(42, 1_234_567L));
        assertThat(serverSide.authenticated).hasSize(1);
        assertThat(clientSide.authenticated).containsExactly(connection);
        assertThat(connection.isOpen()).isTrue();
        assertThat(serverSide.rejections).isEmpty();
        assertThat(clientSide.rejections).isEmpty();

        connection.send(new Message.Shutdown("the run is over"));
        assertThat(eventually(WAIT, () -> serverSide.received.size() == 2)).isTrue();
        assertThat(serverSide.received.get(1)).isEqualTo(new Message.Shutdown("the run is over"));
        connection.close();
        assertThat(eventually(WAIT, () -> serverSide.closed.size() == 1)).as("the server sees the close").isTrue();
        assertThat(eventually(WAIT, () -> clientSide.closed.size() == 1)).isTrue();
    }

    // ---- bad peers ----------------------------------------------------------------------------------------------

    @Test
    void wrongSecret_failsTheClient_isReportedByTheServer_andTheServerKeepsServing() throws Exception {
        EchoingRecorder serverSide = new EchoingRecorder();
        WireServer server = server(serverSide);
        Recorder impostorSide = new Recorder();

        Throwable failure = failureOf(client(otherSecret(creds)).connect(server.address(), impostorSide));

        // The accepting side checks the proof and hangs up without saying why (the protocol has no refusal
        // frame), so all the connecting side can tell is that the connection ended during the handshake.
        assertThat(failure).isInstanceOf(WireException.class).hasMessageContaining("handshake");
        assertThat(impostorSide.authenticated).isEmpty();
        assertThat(eventually(WAIT, () -> !serverSide.rejections.isEmpty())).isTrue();
        assertThat(serverSide.rejections).singleElement().asString().contains("secret");
        assertThat(serverSide.authenticated).isEmpty();
        assertThat(serverSide.received).isEmpty();

        Recorder goodSide = new Recorder();
        WireConnection good = client(creds).connect(server.address(), goodSide)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        good.send(new Message.Ping(1, 2));
        assertThat(eventually(WAIT, () -> !goodSide.received.isEmpty())).isTrue();
        assertThat(goodSide.received).containsExactly(new Message.Pong(1, 2));
    }

    @Test
    void impostorSendingAMessageRightBehindItsProof_isDisconnectedAndTheMessageIsNeverDelivered() throws Exception {
        Recorder serverSide = new Recorder();
        WireServer server = server(serverSide);
        Socket impostor = rawSocket(server.address());
        byte[] challengeFrame = new byte[CHALLENGE_FRAME_BYTES];
        new DataInputStream(impostor.getInputStream()).readFully(challengeFrame);
        byte[] challenge = Arrays.copyOfRange(challengeFrame, 4 + HEADER_BYTES, CHALLENGE_FRAME_BYTES);
        byte[] nonce = new byte[32];
        byte[] proof = Handshake.clientProof(otherSecret(creds), challenge, nonce);

        impostor.getOutputStream().write(concat(frame(PROOF, creds.runId(), concat(nonce, proof)),
                ping(creds.runId(), 1, 2)));

        assertThat(readsUntilClosed(impostor)).as("the server hangs up").isTrue();
        assertThat(eventually(WAIT, () -> !serverSide.rejections.isEmpty())).isTrue();
        assertThat(serverSide.rejections).singleElement().asString().contains("secret");
        assertThat(serverSide.received).isEmpty();
        assertThat(serverSide.authenticated).isEmpty();
    }

    @Test
    void acceptingSideThatDoesNotKnowTheSecret_failsTheClientWithAReasonNamingTheSecret() throws Exception {
        ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        resources.push(fake);
        CompletableFuture<Void> fakeServer = CompletableFuture.runAsync(() -> {
            try (Socket s = fake.accept()) {
                s.setSoTimeout((int) WAIT.toMillis());
                s.getOutputStream().write(frame(CHALLENGE, creds.runId(), new byte[32]));
                new DataInputStream(s.getInputStream()).readFully(new byte[4 + HEADER_BYTES + 64]);
                s.getOutputStream().write(frame(ACCEPT, creds.runId(), new byte[32])); // a forged proof
                while (s.getInputStream().read() != -1) {
                    // wait for the client to hang up
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Recorder clientSide = new Recorder();

        Throwable failure = failureOf(client(creds).connect(loopback(fake.getLocalPort()), clientSide));

        assertThat(failure).isInstanceOf(WireException.class).hasMessageContaining("secret");
        assertThat(clientSide.rejections).singleElement().asString().contains("secret");
        assertThat(clientSide.authenticated).isEmpty();
        fakeServer.get(WAIT.toSeconds(), TimeUnit.SECONDS); // the client hung up
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void rawSocketSendingGarbage_isDisconnected_andTheServerStaysUp(String name, byte[] garbage) throws Exception {
        Recorder serverSide = new Recorder();
        WireServer server = server(serverSide);
        Socket raw = rawSocket(server.address());

        raw.getOutputStream().write(garbage);

        assertThat(readsUntilClosed(raw)).as("the server hangs up").isTrue();
        assertThat(eventually(WAIT, () -> !serverSide.rejections.isEmpty())).isTrue();
        assertThat(serverSide.rejections).hasSize(1);
        assertThat(serverSide.authenticated).isEmpty();
        assertThat(serverSide.received).isEmpty();
        // Still serving: a new connection gets its challenge.
        assertReceivesAChallenge(rawSocket(server.address()));
    }

    static Stream<Arguments> garbage() {
        return Stream.of(
                arguments("an HTTP request", "GET / HTTP/1.1\r\nHost: weft\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)),
                arguments("the start of a TLS ClientHello", new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00}),
                arguments("a small length and junk", concat(new byte[] {0, 0, 0, 40}, filled(40, 0xAB))),
                arguments("a zero length", new byte[] {0, 0, 0, 0}),
                arguments("length prefix 0x7fffffff", new byte[] {0x7f, -1, -1, -1}),
                arguments("length prefix 0xffffffff", new byte[] {-1, -1, -1, -1}),
                arguments("length prefix 2^20 and a megabyte would follow", new byte[] {0, 0x10, 0, 0, 1, 2, 3}));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // ---- binding and connecting -----------------------------------------------------------------------------

    @Test
    void bindingATakenPort_throwsAWireExceptionNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = loopback(taken.getLocalPort());

            Throwable thrown = catchThrowable(() -> resources.push(
                    WireServer.start(address, creds, MAX_FRAME, new Recorder())));

            assertThat(thrown).isInstanceOf(WireException.class)
                    .hasMessageContaining("127.0.0.1")
                    .hasMessageContaining(String.valueOf(address.getPort()));
        }
    }

    @Test
    void bindingATakenPort_leavesNoWireThreadsRunning() throws Exception {
        Set<Thread> before = wireThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            catchThrowable(() -> resources.push(
                    WireServer.start(loopback(taken.getLocalPort()), creds, MAX_FRAME, new Recorder())));
        }

        boolean gone = eventually(Duration.ofSeconds(3), () -> {
            Set<Thread> now = wireThreads();
            now.removeAll(before);
            return now.isEmpty();
        });

        Set<Thread> left = wireThreads();
        left.removeAll(before);
        assertThat(gone).as("threads left behind: %s", left).isTrue();
    }

    private static Set<Thread> wireThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("weft-wire"))
                .collect(Collectors.toSet());
    }

    @Test
    void connectingToAPortNobodyListensOn_failsTheFutureWithAWireException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        Throwable failure = failureOf(client(creds).connect(loopback(port), new Recorder()));

        assertThat(failure).isInstanceOf(WireException.class).hasMessageContaining("cannot connect to");
    }
}
