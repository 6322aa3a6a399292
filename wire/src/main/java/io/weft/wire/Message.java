package io.weft.wire;

/**
 * A control message: an immutable record with a compact binary form ({@link MessageCodec}). Frames carry the
 * run id and the protocol version, so messages do not repeat them.
 */
public sealed interface Message {
    /** A heartbeat request; the peer answers with a {@link Pong} carrying the same values. */
    record Ping(long sequence, long sentNanos) implements Message {}

    /** The answer to a {@link Ping}. */
    record Pong(long sequence, long sentNanos) implements Message {}

    /** The sender is about to close the connection, and says why. */
    record Shutdown(String reason) implements Message {
        public Shutdown {
            if (reason.length() > MessageCodec.MAX_STRING_CHARS) {
                throw new IllegalArgumentException("a shutdown reason of " + reason.length() + " characters");
            }
        }
    }
}
