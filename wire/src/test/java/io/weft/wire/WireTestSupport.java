package io.weft.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Helpers shared by the wire tests. Frames are built byte by byte from the layout in {@code docs/protocol.md}
 * ({@code length:u32 version:u8 type:u8 runId:16 body}), not with the main code's encoder, so the tests check the
 * documented format rather than the code against itself.
 */
final class WireTestSupport {
    // The documented wire constants, as literals on purpose.
    static final int VERSION = Frames.VERSION;
    static final int CHALLENGE = 1;
    static final int PROOF = 2;
    static final int ACCEPT = 3;
    static final int PING = 16;
    static final int PONG = 17;
    static final int SHUTDOWN = 18;
    static final int HELLO = 19;
    static final int HEADER_BYTES = 18;
    /** The documented cap on a handshake frame's length field. */
    static final int HANDSHAKE_LIMIT = 82;
    static final int MAX_FRAME = 1024;

    private WireTestSupport() {}

    static RunCredentials credentials(long seed) {
        Random r = new Random(seed);
        byte[] secret = new byte[32];
        r.nextBytes(secret);
        return RunCredentials.of(new UUID(r.nextLong(), r.nextLong()), secret);
    }

    /** Same run id, another secret. */
    static RunCredentials otherSecret(RunCredentials c) {
        byte[] secret = c.secret().clone();
        secret[0] ^= 1;
        return RunCredentials.of(c.runId(), secret);
    }

    /** Same secret, another run id. */
    static RunCredentials otherRun(RunCredentials c) {
        UUID id = c.runId();
        return RunCredentials.of(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits() ^ 1), c.secret());
    }

    /** A listener that records everything, and the order it heard it in; thread-safe. */
    static class Recorder implements WireListener {
        static final String AUTHENTICATED = "authenticated";
        static final String REJECTED = "rejected";
        static final String CLOSED = "closed";
        /** Each call in order: {@link #AUTHENTICATED}, {@link #REJECTED}, {@link #CLOSED} or the message. */
        final List<Object> events = new CopyOnWriteArrayList<>();
        final List<WireConnection> authenticated = new CopyOnWriteArrayList<>();
        final List<Message> received = new CopyOnWriteArrayList<>();
        final List<WireConnection> closed = new CopyOnWriteArrayList<>();
        final List<String> rejections = new CopyOnWriteArrayList<>();
        final List<SocketAddress> rejectedPeers = new CopyOnWriteArrayList<>();

        @Override
        public void authenticated(WireConnection connection) {
            authenticated.add(connection);
            events.add(AUTHENTICATED);
        }

        @Override
        public void received(WireConnection connection, Message message) {
            received.add(message);
            events.add(message);
        }

        @Override
        public void closed(WireConnection connection) {
            closed.add(connection);
            events.add(CLOSED);
        }

        @Override
        public void rejected(SocketAddress peer, String reason) {
            rejectedPeers.add(peer);
            rejections.add(reason);
            events.add(REJECTED);
        }
    }

    /** An embedded channel set up by {@link WirePipeline#configure} before it is active, as a real one would be. */
    static EmbeddedChannel embedded(boolean accepting, RunCredentials credentials, int maxFrame, WireListener listener,
            CompletableFuture<WireConnection> authenticated) {
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                WirePipeline.configure(ch, accepting, credentials, maxFrame, listener, authenticated);
            }
        });
    }

    // ---- frames -------------------------------------------------------------------------------------------

    static byte[] frame(int type, UUID runId, byte[] body) {
        return frame(VERSION, type, runId, body);
    }

    static byte[] frame(int version, int type, UUID runId, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + HEADER_BYTES + body.length);
        b.putInt(HEADER_BYTES + body.length);
        b.put((byte) version).put((byte) type);
        b.putLong(runId.getMostSignificantBits()).putLong(runId.getLeastSignificantBits());
        b.put(body);
        return b.array();
    }

    static byte[] longs(long a, long b) {
        return ByteBuffer.allocate(16).putLong(a).putLong(b).array();
    }

    static byte[] ping(UUID runId, long sequence, long sentNanos) {
        return frame(PING, runId, longs(sequence, sentNanos));
    }

    static byte[] pong(UUID runId, long sequence, long sentNanos) {
        return frame(PONG, runId, longs(sequence, sentNanos));
    }

    static byte[] shutdown(UUID runId, String reason) {
        return frame(SHUTDOWN, runId, string(reason));
    }

    static byte[] string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + utf8.length).putShort((short) utf8.length).put(utf8).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** The body of a frame (everything after the header), given the whole frame with its length prefix. */
    static byte[] body(byte[] frame) {
        return Arrays.copyOfRange(frame, 4 + HEADER_BYTES, frame.length);
    }

    static int type(byte[] frame) {
        return frame[5] & 0xff;
    }

    // ---- channels -----------------------------------------------------------------------------------------

    /** Everything the channel wrote, as bytes; the buffers are released. */
    static byte[] drainOutbound(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                out.writeBytes(bytes);
            } finally {
                b.release();
            }
        }
        return out.toByteArray();
    }

    /** Writes bytes into the channel as one buffer; returns the buffer so the caller can check its refCnt. */
    static ByteBuf feed(EmbeddedChannel ch, byte[] bytes) {
        ByteBuf b = Unpooled.buffer(bytes.length).writeBytes(bytes);
        ch.writeInbound(b);
        ch.checkException();
        return b;
    }

    /**
     * Moves what each side wrote to the other until neither writes any more, as a connection would. When one side
     * closes, the other is closed too (the peer sees the TCP connection end).
     *
     * @param chunk the largest piece delivered at a time (1 delivers byte by byte)
     */
    static void shuttle(EmbeddedChannel a, EmbeddedChannel b, int chunk) {
        for (int round = 0; round < 100; round++) {
            boolean moved = move(a, b, chunk) | move(b, a, chunk);
            if (!a.isOpen() && b.isOpen()) {
                b.close();
            }
            if (!b.isOpen() && a.isOpen()) {
                a.close();
            }
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("the two sides never stopped talking");
    }

    static void shuttle(EmbeddedChannel a, EmbeddedChannel b) {
        shuttle(a, b, Integer.MAX_VALUE);
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to, int chunk) {
        // What was sent on the channel's own event loop is written once the loop is done with what it read.
        from.runPendingTasks();
        byte[] bytes = drainOutbound(from);
        if (bytes.length == 0) {
            return false;
        }
        for (int i = 0; i < bytes.length && to.isOpen(); i += chunk) {
            feed(to, Arrays.copyOfRange(bytes, i, (int) Math.min(bytes.length, (long) i + chunk)));
        }
        return true;
    }

    /**
     * A connecting-side channel authenticated by the test playing an honest accepting side by hand (challenge,
     * then the correct ACCEPT for the nonce the channel chose). Only the 54-byte CHALLENGE and ACCEPT frames reach
     * this channel's decoder, so this works whatever the accepting side's frame limit is.
     */
    static final class AuthenticatedClient {
        final RunCredentials credentials;
        final Recorder listener = new Recorder();
        final CompletableFuture<WireConnection> future = new CompletableFuture<>();
        final EmbeddedChannel channel;

        AuthenticatedClient(RunCredentials credentials, int maxFrame) {
            this(credentials, maxFrame, new byte[0]);
        }

        /** @param behindAccept bytes delivered in the same buffer as the ACCEPT frame */
        AuthenticatedClient(RunCredentials credentials, int maxFrame, byte[] behindAccept) {
            this.credentials = credentials;
            this.channel = embedded(false, credentials, maxFrame, listener, future);
            byte[] challenge = new byte[32];
            new Random(7).nextBytes(challenge);
            feed(channel, frame(CHALLENGE, credentials.runId(), challenge));
            byte[] proofFrame = drainOutbound(channel);
            byte[] nonce = Arrays.copyOfRange(body(proofFrame), 0, 32);
            byte[] accept = frame(ACCEPT, credentials.runId(), Handshake.serverProof(credentials, challenge, nonce));
            feed(channel, concat(accept, behindAccept));
            if (!future.isDone() || future.isCompletedExceptionally()) {
                throw new AssertionError("the connecting side did not authenticate: " + future);
            }
        }

        WireConnection connection() {
            return future.join();
        }
    }

    /** Waits for a condition on other threads' work (loopback tests only). */
    static boolean eventually(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
