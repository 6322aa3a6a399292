package io.weft.wire;

import java.net.SocketAddress;

/**
 * Receives what happens on connections. Called on Netty event-loop threads: implementations must not block.
 */
public interface WireListener {
    /** A peer proved it belongs to the run; messages may flow. */
    default void authenticated(WireConnection connection) {}

    /** A message from an authenticated peer. */
    void received(WireConnection connection, Message message);

    /** An authenticated connection closed. */
    default void closed(WireConnection connection) {}

    /**
     * A peer was disconnected: it failed the handshake (wrong secret, another run, another protocol version), or
     * sent an oversized or malformed frame. Nothing it sent was decoded beyond what this reason names.
     */
    default void rejected(SocketAddress peer, String reason) {}
}
