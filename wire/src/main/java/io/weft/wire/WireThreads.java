package io.weft.wire;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/** Daemon event-loop threads with names that say what they are, and how much they read at a time. */
final class WireThreads {
    /**
     * Reads that grow up to 1 MiB (Netty's default stops at 64 KiB): a 4 MiB chunk of an object then arrives in a
     * few reads rather than dozens of event-loop turns; control messages still get small buffers.
     */
    static final RecvByteBufAllocator RECEIVE_BUFFERS = new AdaptiveRecvByteBufAllocator(64, 2048, 1 << 20);

    private WireThreads() {}

    static ThreadFactory named(String name) {
        return new DefaultThreadFactory(name, true);
    }
}
