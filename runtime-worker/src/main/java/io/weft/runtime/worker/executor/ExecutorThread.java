package io.weft.runtime.worker.executor;

import io.weft.api.spi.RuntimeThread;
import io.weft.runtime.worker.WorkerResources;

/**
 * A thread that executes tasks. Being a {@link RuntimeThread}, code on it never waits for pending data and task
 * calls it makes run inline.
 */
final class ExecutorThread extends RuntimeThread {
    /** What the running attempt holds, or {@code null} between attempts. Only this thread touches it. */
    Assignment held;
    WorkerResources resources;
    /** Made from {@link #held} when the task asks for it. */
    TaskContext context;
    /** The running attempt's task id, or -1 between attempts. Only this thread touches it. */
    long taskId = -1;

    ExecutorThread(Runnable loop, String name) {
        super(loop, name);
        setDaemon(true);
    }
}
