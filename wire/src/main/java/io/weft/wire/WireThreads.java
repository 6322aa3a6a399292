package io.weft.wire;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ThreadFactory;

/** Daemon event-loop threads with names that say what they are. */
final class WireThreads {
    private WireThreads() {}

    static ThreadFactory named(String name) {
        return new DefaultThreadFactory(name, true);
    }
}
