package io.weft.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Builds a connection's pipeline and switches it once the handshake succeeds.
 *
 * <p>With TLS, {@code tls} comes first and carries everything. Before: {@code frames} (length prefix, at most a handshake frame's size) → {@code handshake}. After:
 * {@code frames} (at most the configured frame size) → {@code messages} (header check and message codec) →
 * {@code dispatch} (hands messages to the {@link WireListener}). The {@code encoder} turns outgoing messages into
 * frames throughout. Any protocol error closes the connection and is reported; it never escapes the event loop.
 */
final class WirePipeline {
    static final String TLS = "tls";
    static final String FRAMES = "frames";
    static final String HANDSHAKE = "handshake";
    static final String MESSAGES = "messages";
    static final String DISPATCH = "dispatch";
    static final String ENCODER = "encoder";
    /** A peer that has not proved itself within this time is disconnected. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private WirePipeline() {}

    /**
     * Sets up a new channel.
     *
     * @param accepting whether this side accepted the connection (it sends the challenge)
     * @param maxFrame the largest frame accepted once authenticated, in bytes
     * @param authenticated completed with the connection once both sides are proved, or exceptionally if not
     */
    static void configure(Channel channel, boolean accepting, RunCredentials credentials, int maxFrame,
            WireListener listener, CompletableFuture<WireConnection> authenticated) {
        TlsIdentity tls = credentials.tls();
        if (tls != null) {
            try {
                // First in the pipeline: every byte, the handshake frames included, is encrypted.
                channel.pipeline().addLast(TLS, (accepting ? tls.server() : tls.client()).newHandler(channel.alloc()));
            } catch (javax.net.ssl.SSLException e) {
                throw new WireException("cannot set up TLS: " + e.getMessage());
            }
        }
        channel.pipeline()
                .addLast(ENCODER, new MessageEncoder(credentials.runId(), maxFrame))
                .addLast(FRAMES, frames(Frames.MAX_HANDSHAKE_FRAME))
                .addLast(HANDSHAKE, new HandshakeHandler(accepting, credentials, maxFrame, listener, authenticated));
    }

    /** Netty's limit counts the 4-byte length field too; ours counts what follows it. */
    private static LengthFieldBasedFrameDecoder frames(int maxFrame) {
        return new PresizingFrameDecoder(maxFrame + 4);
    }

    /**
     * Cuts frames at their length prefix, and makes room for a whole frame as soon as its prefix is in: a large
     * frame (a chunk of an object, up to 4 MiB) is then copied once as it arrives, instead of the bytes so far being
     * copied again each time the buffer that gathers them grows.
     */
    static final class PresizingFrameDecoder extends LengthFieldBasedFrameDecoder {
        private final int maxFrameLength;

        PresizingFrameDecoder(int maxFrameLength) {
            super(maxFrameLength, 0, 4, 0, 4, true);
            this.maxFrameLength = maxFrameLength;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            int readable = in.readableBytes();
            if (readable >= 4) {
                long frame = in.getUnsignedInt(in.readerIndex()) + 4;
                if (frame <= maxFrameLength && frame > readable && in.writableBytes() < frame - readable) {
                    in.ensureWritable((int) (frame - readable));
                }
            }
            return super.decode(ctx, in);
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        // Some carry what the peer sent (a TLS record that is none, in hexadecimal): a line, not kilobytes of it.
        if (m != null && m.length() > MAX_REASON) {
            m = m.substring(0, MAX_REASON) + "… (" + m.length() + " characters)";
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** The most of an exception's message said about a dropped connection. */
    private static final int MAX_REASON = 160;

    /** The challenge-response; owns the channel until it succeeds, then removes itself. */
    static final class HandshakeHandler extends ChannelInboundHandlerAdapter {
        private final boolean accepting;
        private final RunCredentials credentials;
        private final int maxFrame;
        private final WireListener listener;
        private final CompletableFuture<WireConnection> authenticated;
        private byte[] challenge;
        private byte[] nonce;
        private ScheduledFuture<?> timeout;

        HandshakeHandler(boolean accepting, RunCredentials credentials, int maxFrame, WireListener listener,
                CompletableFuture<WireConnection> authenticated) {
            this.accepting = accepting;
            this.credentials = credentials;
            this.maxFrame = maxFrame;
            this.listener = listener;
            this.authenticated = authenticated;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timeout = ctx.executor().schedule(() -> reject(ctx, "no handshake within "
                    + HANDSHAKE_TIMEOUT_MILLIS + " ms"), HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            if (accepting) {
                challenge = Handshake.nonce();
                send(ctx, Frames.CHALLENGE, challenge);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            if (!ctx.channel().isOpen()) {
                frame.release();
                return;
            }
            try {
                int type = Frames.readHeader(frame, credentials.runId());
                if (accepting) {
                    expect(type, Frames.PROOF, frame, Handshake.NONCE_BYTES + Handshake.MAC_BYTES);
                    nonce = read(frame, Handshake.NONCE_BYTES);
                    byte[] proof = read(frame, Handshake.MAC_BYTES);
                    if (!Handshake.matches(Handshake.clientProof(credentials, challenge, nonce), proof)) {
                        reject(ctx, "the peer does not know the run's secret");
                        return;
                    }
                    send(ctx, Frames.ACCEPT, Handshake.serverProof(credentials, challenge, nonce));
                    succeed(ctx);
                } else if (challenge == null) {
                    expect(type, Frames.CHALLENGE, frame, Handshake.NONCE_BYTES);
                    challenge = read(frame, Handshake.NONCE_BYTES);
                    nonce = Handshake.nonce();
                    byte[] proof = Handshake.clientProof(credentials, challenge, nonce);
                    byte[] body = new byte[nonce.length + proof.length];
                    System.arraycopy(nonce, 0, body, 0, nonce.length);
                    System.arraycopy(proof, 0, body, nonce.length, proof.length);
                    send(ctx, Frames.PROOF, body);
                } else {
                    expect(type, Frames.ACCEPT, frame, Handshake.MAC_BYTES);
                    byte[] proof = read(frame, Handshake.MAC_BYTES);
                    if (!Handshake.matches(Handshake.serverProof(credentials, challenge, nonce), proof)) {
                        reject(ctx, "the accepting side does not know the run's secret");
                        return;
                    }
                    succeed(ctx);
                }
            } catch (WireException e) {
                reject(ctx, e.getMessage());
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        private static void expect(int type, int expected, ByteBuf frame, int bodyBytes) {
            if (type != expected) {
                throw new WireException("frame type " + type + " during the handshake, where " + expected
                        + " was expected");
            }
            if (frame.readableBytes() != bodyBytes) {
                throw new WireException("a handshake frame with a " + frame.readableBytes() + "-byte body, where "
                        + bodyBytes + " were expected");
            }
        }

        private static byte[] read(ByteBuf frame, int n) {
            byte[] b = new byte[n];
            frame.readBytes(b);
            return b;
        }

        private void send(ChannelHandlerContext ctx, int type, byte[] body) {
            ByteBuf out = ctx.alloc().buffer(4 + Frames.HEADER_BYTES + body.length);
            int start = Frames.beginFrame(out, type, credentials.runId());
            out.writeBytes(body);
            Frames.endFrame(out, start);
            ctx.writeAndFlush(out);
        }

        private void succeed(ChannelHandlerContext ctx) {
            timeout.cancel(false);
            WireConnection connection = new WireConnection(ctx.channel(), credentials.runId(), maxFrame);
            ChannelPipeline p = ctx.pipeline();
            p.addAfter(HANDSHAKE, MESSAGES, new MessageDecoder(credentials.runId()));
            p.addAfter(MESSAGES, DISPATCH, new Dispatch(connection, listener));
            p.remove(this);
            listener.authenticated(connection);
            authenticated.complete(connection);
            // Bytes that followed the last handshake frame move on to the new frame decoder.
            p.replace(FRAMES, FRAMES, frames(maxFrame));
        }

        private void reject(ChannelHandlerContext ctx, String reason) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            boolean open = ctx.channel().isOpen();
            if (open) {
                listener.rejected(ctx.channel().remoteAddress(), "handshake failed: " + reason);
            }
            // Before closing, so the future carries this reason rather than the close's.
            authenticated.completeExceptionally(new WireException("handshake failed: " + reason));
            if (open) {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            authenticated.completeExceptionally(new WireException("the connection closed during the handshake"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            OutOfMemory.check(cause);
            reject(ctx, reason(cause));
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent tls && !tls.isSuccess()) {
                Throwable cause = tls.cause();
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                reject(ctx, "TLS: " + reason(cause));
                return;
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Checks each frame's header and decodes its message. */
    static final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
        private final UUID runId;

        MessageDecoder(UUID runId) {
            this.runId = runId;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            if (!ctx.channel().isOpen()) {
                return;
            }
            int type = Frames.readHeader(frame, runId);
            if (type < Frames.FIRST_MESSAGE) {
                throw new WireException("a handshake frame (type " + type + ") after the handshake");
            }
            out.add(MessageCodec.decodeBody(type, frame));
        }
    }

    /** Turns messages into frames. */
    static final class MessageEncoder extends MessageToByteEncoder<Message> {
        private final UUID runId;
        private final int maxFrame;

        MessageEncoder(UUID runId, int maxFrame) {
            super(Message.class);
            this.runId = runId;
            this.maxFrame = maxFrame;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Message m, ByteBuf out) {
            int start = Frames.beginFrame(out, MessageCodec.type(m), runId);
            MessageCodec.encodeBody(m, out);
            Frames.endFrame(out, start);
            if (out.writerIndex() - start - 4 > maxFrame) {
                out.writerIndex(start);
                throw new WireException("a " + m.getClass().getSimpleName() + " larger than the " + maxFrame
                        + "-byte frame limit");
            }
        }
    }

    /** Hands decoded messages to the listener; reports protocol errors and closes. */
    static final class Dispatch extends SimpleChannelInboundHandler<Message> {
        private final WireConnection connection;
        private final WireListener listener;

        Dispatch(WireConnection connection, WireListener listener) {
            this.connection = connection;
            this.listener = listener;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message message) {
            try {
                listener.received(connection, message);
            } finally {
                if (message instanceof Message.FileData d) {
                    d.bytes().release();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            listener.closed(connection);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            OutOfMemory.check(cause);
            if (ctx.channel().isOpen()) {
                listener.rejected(ctx.channel().remoteAddress(), reason(cause));
                ctx.close();
            }
        }
    }
}
