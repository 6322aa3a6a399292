package io.weft.runtime.worker;

import io.weft.api.spi.RuntimeThread;

/**
 * A thread that executes tasks. Being a {@link RuntimeThread}, code on it never waits for pending data and task
 * calls it makes run inline.
 */
final class ExecutorThread extends RuntimeThread {
    ExecutorThread(Runnable loop, String name) {
        super(loop, name);
        setDaemon(true);
    }
}
