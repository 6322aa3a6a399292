package io.weft.wire;

import io.netty.channel.Channel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.net.SocketAddress;

/**
 * An authenticated connection to a peer of the run. Thread-safe: messages may be sent from any thread.
 *
 * <p>Messages sent while earlier ones wait to be written join them: the connection's event loop writes whatever
 * has queued up and flushes once, so a burst of small messages (tasks dispatched together, reports of short tasks)
 * costs one wake-up and one system call rather than one each.
 */
public final class WireConnection {
    private final Channel channel;
    private final Queue<Message> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drain = this::drain;

    WireConnection(Channel channel) {
        this.channel = channel;
    }

    /** Sends a message; returns at once. Messages from one thread are sent in the order they were given. */
    public void send(Message message) {
        outgoing.add(message);
        if (draining.compareAndSet(false, true)) {
            try {
                if (channel.eventLoop().inEventLoop()) {
                    drain();
                } else {
                    channel.eventLoop().execute(drain);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                outgoing.clear(); // the connection's threads have stopped: nothing can be sent any more
            }
        }
    }

    private void drain() {
        while (true) {
            Message m;
            int written = 0;
            while ((m = outgoing.poll()) != null) {
                channel.write(m, channel.voidPromise());
                written++;
            }
            if (written > 0) {
                channel.flush();
            }
            draining.set(false);
            // A message added after the last poll but before the flag was cleared would wait: take it now.
            if (outgoing.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
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
