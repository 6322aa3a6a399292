package io.weft.runtime.worker.endpoint;

import io.weft.log.Log;
import io.weft.runtime.worker.executor.ExecutorPool;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the intake's jobs one at a time, in the order given, on whichever thread has the turn: an idle executor when
 * there is one, else the intake thread. An executor that prepares an attempt queues it for itself and runs it next,
 * so a task that reaches an idle worker wakes one thread there (the executor), not two (the intake thread, then an
 * executor): on a virtual machine each wake-up of a parked thread costs tens of microseconds or more. It prepares
 * what else is waiting too; what it queues beyond its own next attempt wakes another executor, as before.
 *
 * <p>Threading: {@link #execute} returns at once, from any thread; the job runs later, never inside that call (the
 * event loop, say, must not deserialise).
 */
final class IntakeTurn implements Executor {
    private static final Log LOG = Log.of(IntakeTurn.class);

    private final String node;
    private final ExecutorPool pool;
    /** The intake thread: runs the jobs when no executor is idle. */
    private final Executor thread;
    private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
    /** Held by the thread running the jobs. */
    private final AtomicBoolean turn = new AtomicBoolean();
    /** Whether the intake thread has been called and has not started on the jobs yet: once is enough. */
    private final AtomicBoolean threadCalled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Runnable onThread = () -> {
        threadCalled.set(false);
        drain();
    };

    IntakeTurn(String node, ExecutorPool pool, Executor thread) {
        this.node = node;
        this.pool = pool;
        this.thread = thread;
    }

    @Override
    public void execute(Runnable job) {
        jobs.add(job);
        if (turn.get()) {
            return; // the thread with the turn looks at the jobs again once it lets the turn go
        }
        if (!pool.runOnIdleExecutor(drain) && threadCalled.compareAndSet(false, true)) {
            thread.execute(onThread);
        }
    }

    /** Runs the jobs given so far, and those given meanwhile, if no other thread has the turn. */
    private void drain() {
        while (!jobs.isEmpty() && turn.compareAndSet(false, true)) {
            try {
                Runnable job;
                while ((job = jobs.poll()) != null) {
                    try {
                        job.run();
                    } catch (RuntimeException | LinkageError e) {
                        // The jobs report what they meet to the master; one that throws anyway must not stop the rest.
                        LOG.error("weft worker " + node + ": the task intake failed: " + e, e);
                    }
                }
            } finally {
                turn.set(false);
            }
        }
    }
}
