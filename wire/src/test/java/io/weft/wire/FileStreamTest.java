package io.weft.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WireConnection#sendFile}: a file arrives whole, byte for byte, in frame-sized chunks of which only the last
 * says so, with and without TLS (file regions without, buffers with); an empty file is one last, empty chunk; a
 * file that cannot be read is one chunk carrying the reason.
 */
class FileStreamTest {
    /** Collects the chunks of each request as they arrive: copied out, since a chunk's buffer lives for the call. */
    static final class Collector implements WireListener {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Boolean> lasts = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void received(WireConnection connection, Message message) {
            if (message instanceof Message.FileData d) {
                byte[] chunk = new byte[d.bytes() == null ? 0 : d.bytes().readableBytes()];
                if (chunk.length > 0) {
                    d.bytes().getBytes(d.bytes().readerIndex(), chunk);
                }
                bytes.write(chunk, 0, chunk.length);
                lasts.add(d.last());
                if (d.error() != null) {
                    errors.add(d.error());
                }
            }
        }

        synchronized boolean done() {
            return !lasts.isEmpty() && lasts.get(lasts.size() - 1);
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aFileOfSeveralChunks_arrivesWhole_andOnlyItsLastChunkSaysSo(boolean tls, @TempDir Path dir)
            throws Exception {
        Collector received = new Collector();
        byte[] content;
        try (Pair pair = new Pair(tls, received)) {
            content = new byte[2 * pair.connection.fileChunkBytes() + 12345];
            new Random(7).nextBytes(content);
            Path file = Files.write(dir.resolve("data.bin"), content);
            long sent = pair.connection.sendFile(1, file).get(20, TimeUnit.SECONDS);
            assertThat(sent).isEqualTo(content.length);
            assertThat(WireTestSupport.eventually(java.time.Duration.ofSeconds(20), received::done)).isTrue();
        }
        assertThat(received.bytes.toByteArray()).isEqualTo(content);
        assertThat(received.lasts).containsExactly(false, false, true);
        assertThat(received.errors).isEmpty();
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void anEmptyFile_isOneLastEmptyChunk_andAMissingOne_isOneChunkWithTheReason(boolean tls, @TempDir Path dir)
            throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        Collector received = new Collector();
        try (Pair pair = new Pair(tls, received)) {
            assertThat(pair.connection.sendFile(1, empty).get(20, TimeUnit.SECONDS)).isZero();
            assertThat(WireTestSupport.eventually(java.time.Duration.ofSeconds(20), received::done)).isTrue();
            assertThat(received.lasts).containsExactly(true);
            assertThat(received.bytes.size()).isZero();

            received.lasts.clear();
            assertThat(pair.connection.sendFile(2, dir.resolve("missing"))).failsWithin(20, TimeUnit.SECONDS);
            assertThat(WireTestSupport.eventually(java.time.Duration.ofSeconds(20), received::done)).isTrue();
            assertThat(received.errors).singleElement().asString().contains("cannot read", "missing");
            assertThat(pair.connection.isOpen()).as("the connection stays up").isTrue();
        }
    }

    /** Frames of 64 KiB: chunks are a little smaller, so a file of a few hundred KiB takes several. */
    private static final int FRAME = 64 << 10;

    /** A server and a client of one run; the server's side collects. */
    private static final class Pair implements AutoCloseable {
        final WireServer server;
        final WireClient client;
        final WireConnection connection;

        Pair(boolean tls, WireListener serverSide) throws Exception {
            RunCredentials creds = RunCredentials.generate(tls);
            server = WireServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), creds,
                    FRAME, serverSide);
            client = new WireClient(creds, FRAME);
            connection = client.connect(server.address(), new WireListener() {
                @Override
                public void received(WireConnection c, Message m) {}
            }).get(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
