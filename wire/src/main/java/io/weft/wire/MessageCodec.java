package io.weft.wire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The binary form of each {@link Message}: a frame type and a fixed, explicit layout. Decoding checks every
 * length against what the frame holds and rejects trailing bytes, so a malformed frame is an error, never a
 * partial message or an allocation the peer chose.
 */
final class MessageCodec {
    static final int PING = Frames.FIRST_MESSAGE;
    static final int PONG = Frames.FIRST_MESSAGE + 1;
    static final int SHUTDOWN = Frames.FIRST_MESSAGE + 2;
    static final int HELLO = Frames.FIRST_MESSAGE + 3;
    static final int MAX_STRING_CHARS = 4096;

    private MessageCodec() {}

    static int type(Message m) {
        if (m instanceof Message.Ping) {
            return PING;
        } else if (m instanceof Message.Pong) {
            return PONG;
        } else if (m instanceof Message.Hello) {
            return HELLO;
        }
        return SHUTDOWN;
    }

    static void encodeBody(Message m, ByteBuf out) {
        if (m instanceof Message.Ping p) {
            out.writeLong(p.sequence()).writeLong(p.sentNanos());
        } else if (m instanceof Message.Pong p) {
            out.writeLong(p.sequence()).writeLong(p.sentNanos());
        } else if (m instanceof Message.Shutdown s) {
            writeString(out, s.reason());
        } else if (m instanceof Message.Hello h) {
            writeString(out, h.node());
            out.writeLong(h.pid()).writeInt(h.dataPort());
        }
    }

    /** Decodes the body of a frame of {@code type}; the buffer must hold exactly the body. */
    static Message decodeBody(int type, ByteBuf in) {
        Message m = switch (type) {
            case PING -> new Message.Ping(readLong(in), readLong(in));
            case PONG -> new Message.Pong(readLong(in), readLong(in));
            case SHUTDOWN -> new Message.Shutdown(readString(in));
            case HELLO -> new Message.Hello(readString(in), readLong(in), readInt(in));
            default -> throw new WireException("unknown message type " + type);
        };
        if (in.isReadable()) {
            throw new WireException(in.readableBytes() + " unexpected bytes after a message of type " + type);
        }
        return m;
    }

    private static long readLong(ByteBuf in) {
        if (in.readableBytes() < Long.BYTES) {
            throw new WireException("a message cut short");
        }
        return in.readLong();
    }

    private static int readInt(ByteBuf in) {
        if (in.readableBytes() < Integer.BYTES) {
            throw new WireException("a message cut short");
        }
        return in.readInt();
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuf in) {
        if (in.readableBytes() < 2) {
            throw new WireException("a message cut short");
        }
        int length = in.readUnsignedShort();
        if (length > in.readableBytes() || length > 4 * MAX_STRING_CHARS) {
            throw new WireException("a string of " + length + " bytes where " + in.readableBytes() + " remain");
        }
        String s = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
        if (s.length() > MAX_STRING_CHARS) {
            throw new WireException("a string of " + s.length() + " characters");
        }
        return s;
    }
}
