package io.weft.wire;

import static io.weft.wire.WireTestSupport.MAX_FRAME;
import static io.weft.wire.WireTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.weft.wire.WireTestSupport.Recorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections of a run with TLS: encrypted from the first byte, between peers that hold the run's certificate,
 * with the HMAC handshake inside. A relay on loopback records what crosses the wire.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String MARKER = "node-name-that-must-not-cross-the-wire-in-clear";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    @Test
    void withTls_messagesArrive_andNeitherTheirContentNorTheRunIdCrossesInClear() throws Exception {
        RunCredentials creds = RunCredentials.generate(true);
        Relay relay = sendHelloThroughRelay(creds, creds);
        byte[] seen = relay.bytes();
        assertThat(seen.length).as("bytes relayed").isGreaterThan(200);
        assertThat(contains(seen, MARKER.getBytes(StandardCharsets.UTF_8))).as("the message in clear").isFalse();
        assertThat(contains(seen, uuidBytes(creds))).as("the run id in clear").isFalse();
    }

    /** The control: the relay does see what crosses, so the test above would notice clear text. */
    @Test
    void withoutTls_theSameMessageCrossesInClear() throws Exception {
        RunCredentials creds = RunCredentials.generate(false);
        Relay relay = sendHelloThroughRelay(creds, creds);
        assertThat(contains(relay.bytes(), MARKER.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void aPeerWithoutTls_isRejectedByATlsServer() throws Exception {
        RunCredentials creds = RunCredentials.generate(true);
        Recorder server = new Recorder();
        WireServer s = server(creds, server);
        // Same run id and secret, but it speaks in clear.
        RunCredentials plain = RunCredentials.of(creds.runId(), creds.secret());
        // Each side waits for the other's first frame, until a handshake timeout (10 s) ends it.
        Throwable failure = connectFailure(plain, s);
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("handshake");
        assertThat(server.authenticated).isEmpty();
    }

    /** Knowing the secret is not enough: the peer must hold this run's certificate too. */
    @Test
    void aPeerWithAnotherCertificate_isRejected_evenWithTheRightSecret() throws Exception {
        RunCredentials creds = RunCredentials.generate(true);
        Recorder server = new Recorder();
        WireServer s = server(creds, server);
        RunCredentials stranger = RunCredentials.parse(creds.runId() + "\n"
                + java.util.Base64.getEncoder().encodeToString(creds.secret()) + "\n"
                + RunCredentials.generate(true).tls().text() + "\n", "test");
        long start = System.nanoTime();
        assertThat(connectFailure(stranger, s)).isNotNull();
        assertThat(eventually(WAIT, () -> !server.rejections.isEmpty())).isTrue();
        assertThat(server.rejections.get(0)).contains("TLS");
        assertThat(System.nanoTime() - start).as("refused at once").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(server.authenticated).isEmpty();
    }

    /** What a worker reads from the credentials file connects to a master holding the originals. */
    @Test
    void credentialsWithTls_throughTheFile_connect(@TempDir Path dir) throws Exception {
        RunCredentials creds = RunCredentials.generate(true);
        Path file = dir.resolve("secret");
        creds.writeTo(file);
        RunCredentials read = RunCredentials.readFrom(file);
        assertThat(read.tls().certificate()).isEqualTo(creds.tls().certificate());
        assertThat(Files.readString(file)).doesNotContain("BEGIN"); // one line per part, no PEM armour
        Recorder server = new Recorder();
        WireServer s = server(creds, server);
        WireClient client = new WireClient(read, MAX_FRAME);
        resources.push(client);
        WireConnection c = client.connect(address(s.address().getPort()), new Recorder()).get(10, TimeUnit.SECONDS);
        c.send(new Message.Ping(7, 8));
        assertThat(eventually(WAIT, () -> server.received.size() == 1)).isTrue();
        assertThat(server.received).containsExactly(new Message.Ping(7, 8));
    }

    // ---------------------------------------------------------------- helpers

    private Relay sendHelloThroughRelay(RunCredentials serverCreds, RunCredentials clientCreds) throws Exception {
        Recorder server = new Recorder();
        WireServer s = server(serverCreds, server);
        Relay relay = new Relay(s.address().getPort());
        resources.push(relay);
        WireClient client = new WireClient(clientCreds, MAX_FRAME);
        resources.push(client);
        WireConnection c = client.connect(address(relay.port()), new Recorder()).get(10, TimeUnit.SECONDS);
        c.send(new Message.Hello(MARKER, 42, 4242, ""));
        assertThat(eventually(WAIT, () -> server.received.size() == 1)).isTrue();
        assertThat(((Message.Hello) server.received.get(0)).node()).isEqualTo(MARKER);
        return relay;
    }

    private Throwable connectFailure(RunCredentials creds, WireServer s) throws InterruptedException {
        WireClient client = new WireClient(creds, MAX_FRAME);
        resources.push(client);
        try {
            client.connect(address(s.address().getPort()), new Recorder()).get(15, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            return e;
        }
    }

    private WireServer server(RunCredentials creds, WireListener listener) {
        WireServer s = WireServer.start(address(0), creds, MAX_FRAME, listener);
        resources.push(s);
        return s;
    }

    private static InetSocketAddress address(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static byte[] uuidBytes(RunCredentials creds) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(creds.runId().getMostSignificantBits()).putLong(creds.runId().getLeastSignificantBits());
        return b.array();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Accepts one connection and relays it both ways to {@code target}, keeping what the client sent. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket listening;
        private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
        private final Deque<Socket> sockets = new ArrayDeque<>();

        Relay(int target) throws IOException {
            listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try {
                    Socket client = listening.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                    synchronized (sockets) {
                        sockets.push(client);
                        sockets.push(server);
                    }
                    pump(client.getInputStream(), server.getOutputStream(), true);
                    pump(server.getInputStream(), client.getOutputStream(), false);
                } catch (IOException e) {
                    // closed
                }
            }, "relay");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return listening.getLocalPort();
        }

        private void pump(InputStream in, OutputStream out, boolean keep) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        if (keep) {
                            synchronized (fromClient) {
                                fromClient.write(buffer, 0, n);
                            }
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        byte[] bytes() {
            synchronized (fromClient) {
                return fromClient.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            listening.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
