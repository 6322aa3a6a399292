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

    /**
     * A worker introduces itself to the master, once authenticated.
     *
     * @param node the node it serves, as the resources file names it
     * @param pid its process id
     * @param dataPort the port it serves data on, for other workers
     */
    record Hello(String node, long pid, int dataPort) implements Message {
        public Hello {
            if (node.length() > MessageCodec.MAX_STRING_CHARS) {
                throw new IllegalArgumentException("a node name of " + node.length() + " characters");
            }
        }
    }

    /** The sender is about to close the connection, and says why. */
    record Shutdown(String reason) implements Message {
        public Shutdown {
            if (reason.length() > MessageCodec.MAX_STRING_CHARS) {
                throw new IllegalArgumentException("a shutdown reason of " + reason.length() + " characters");
            }
        }
    }
}
