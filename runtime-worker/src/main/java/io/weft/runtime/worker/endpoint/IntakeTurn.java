package io.weft.runtime.worker.endpoint;

import io.weft.log.Log;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the intake's jobs one at a time, in the order given, on whichever thread has the turn: an idle executor when
 * there is one, else the intake thread. An executor that prepares an attempt queues it for itself and runs it next,
 * so a task that reaches an idle worker wakes one thread there (the executor), not two (the intake thread, then an
 * executor): on a virtual machine each wake-up of a parked thread costs tens of microseconds or more. An executor
 * runs at most {@link #EXECUTOR_JOBS} jobs a turn and leaves the rest to the intake thread, so a burst of tasks is
 * prepared beside the executors, not by one of them while its own attempt waits.
 *
 * <p>Threading: {@link #execute} returns at once, from any thread; the job runs later, never inside that call (the
 * event loop, say, must not deserialise). The jobs run with the worker's own context class loader, whichever thread
 * runs them.
 */
final class IntakeTurn implements Executor {
    private static final Log LOG = Log.of(IntakeTurn.class);
    /** How many jobs an executor runs in one turn before it leaves the rest to the intake thread. */
    static final int EXECUTOR_JOBS = 8;

    /** Executors that can run the intake's jobs between two attempts ({@code ExecutorPool.runOnIdleExecutor}). */
    @FunctionalInterface
    interface IdleExecutors {
        /**
         * Has an idle executor, {@code preferred} if it is idle, run {@code job} between two attempts.
         *
         * @return whether one will; if not, the caller runs it elsewhere
         */
        boolean run(Runnable job, int preferred);
    }

    private final String node;
    private final IdleExecutors executors;
    /** The intake thread: runs the jobs when no executor is idle, and what an executor leaves. */
    private final Executor thread;
    private final ClassLoader loader = Thread.currentThread().getContextClassLoader();
    private final ConcurrentLinkedQueue<Runnable> jobs = new ConcurrentLinkedQueue<>();
    /** Held by the thread running the jobs. */
    private final AtomicBoolean turn = new AtomicBoolean();
    /** Whether the intake thread has been called and has not started on the jobs yet: once is enough. */
    private final AtomicBoolean threadCalled = new AtomicBoolean();
    private final Runnable onExecutor = () -> drain(EXECUTOR_JOBS);
    private final Runnable onThread = () -> {
        threadCalled.set(false);
        drain(Integer.MAX_VALUE);
    };

    IntakeTurn(String node, IdleExecutors executors, Executor thread) {
        this.node = node;
        this.executors = executors;
        this.thread = thread;
    }

    @Override
    public void execute(Runnable job) {
        execute(job, -1);
    }

    /**
     * As {@link #execute(Runnable)}, asking for executor {@code preferred} if it is idle (the one the master hinted
     * at for the attempt the job prepares), else any.
     */
    void execute(Runnable job, int preferred) {
        jobs.add(job);
        if (turn.get()) {
            return; // the thread with the turn looks at the jobs again once it lets the turn go
        }
        if (!executors.run(onExecutor, preferred)) {
            callThread();
        }
    }

    private void callThread() {
        if (threadCalled.compareAndSet(false, true)) {
            thread.execute(onThread);
        }
    }

    private void failed(Throwable e) {
        try {
            LOG.error("weft worker " + node + ": the task intake failed: " + e, e);
        } catch (Throwable logging) {
            // Out of memory again, say: the jobs after it matter more than the line.
        }
    }

    /**
     * Runs the jobs given so far, and those given meanwhile, if no other thread has the turn; after {@code most}
     * of them, the intake thread runs the rest.
     */
    private void drain(int most) {
        Thread self = Thread.currentThread();
        ClassLoader before = self.getContextClassLoader();
        self.setContextClassLoader(loader); // a task on this executor may have changed it
        try {
            int ran = 0;
            while (!jobs.isEmpty() && turn.compareAndSet(false, true)) {
                try {
                    Runnable job;
                    while (ran < most && (job = jobs.poll()) != null) {
                        ran++;
                        try {
                            job.run();
                        } catch (Throwable e) {
                            // The jobs report what they meet to the master; one that throws anyway (out of memory,
                            // say) must not stop the rest, nor the executor that runs them.
                            failed(e);
                        }
                    }
                } finally {
                    turn.set(false);
                }
                if (ran >= most) {
                    if (!jobs.isEmpty()) {
                        callThread();
                    }
                    return;
                }
            }
        } finally {
            self.setContextClassLoader(before);
        }
    }
}
