package io.weft.wire;

import io.netty.buffer.ByteBuf;
import java.util.UUID;

/**
 * The frame layout after the 4-byte length prefix: {@code version:u8 type:u8 runId:16 body}. Types below
 * {@link #FIRST_MESSAGE} belong to the handshake.
 */
final class Frames {
    static final int VERSION = 9;
    static final int HEADER_BYTES = 1 + 1 + 16;
    static final int CHALLENGE = 1;
    static final int PROOF = 2;
    static final int ACCEPT = 3;
    static final int FIRST_MESSAGE = 16;
    /** The largest handshake frame (a proof: two 32-byte values), so the handshake reads no more than it needs. */
    static final int MAX_HANDSHAKE_FRAME = HEADER_BYTES + Handshake.NONCE_BYTES + Handshake.MAC_BYTES;

    private Frames() {}

    /** Writes the length prefix (to be patched by {@link #endFrame}) and the header; returns the prefix index. */
    static int beginFrame(ByteBuf out, int type, UUID runId) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(VERSION);
        out.writeByte(type);
        out.writeLong(runId.getMostSignificantBits());
        out.writeLong(runId.getLeastSignificantBits());
        return start;
    }

    static void endFrame(ByteBuf out, int start) {
        out.setInt(start, out.writerIndex() - start - 4);
    }

    /**
     * Reads and checks a frame's header.
     *
     * @return the frame's type
     * @throws WireException for another protocol version, another run, or a frame too short to have a header
     */
    static int readHeader(ByteBuf frame, UUID runId) {
        if (frame.readableBytes() < HEADER_BYTES) {
            throw new WireException("a frame of " + frame.readableBytes() + " bytes, shorter than its header");
        }
        int version = frame.readUnsignedByte();
        if (version != VERSION) {
            throw new WireException("protocol version " + version + "; this side speaks version " + VERSION);
        }
        int type = frame.readUnsignedByte();
        UUID peerRun = new UUID(frame.readLong(), frame.readLong());
        if (!peerRun.equals(runId)) {
            throw new WireException("a frame of run " + peerRun + ", not of this run (" + runId + "): a stale peer?");
        }
        return type;
    }
}
