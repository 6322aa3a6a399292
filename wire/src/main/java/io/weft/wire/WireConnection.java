package io.weft.wire;

import io.netty.channel.Channel;
import java.net.SocketAddress;

/** An authenticated connection to a peer of the run. Thread-safe: messages may be sent from any thread. */
public final class WireConnection {
    private final Channel channel;

    WireConnection(Channel channel) {
        this.channel = channel;
    }

    /** Sends a message; returns at once. */
    public void send(Message message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Closes the connection. */
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "connection to " + channel.remoteAddress();
    }
}
