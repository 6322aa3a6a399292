package io.weft.runtime.master;

import io.weft.api.TaskGroup;
import io.weft.api.spi.Intercept;
import io.weft.api.spi.WeftRuntime;
import io.weft.runtime.master.config.RuntimeConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A runtime that starts beside {@code main}: the agent installs it at once, and the program's first lines run while
 * the master runtime starts on a thread of its own (about 0.1 s of class loading and thread starts on this kind of
 * machine). The program's first call that needs the runtime — a task call, a group, a barrier, the end of
 * {@code main} — waits for the start; a synchronisation before any task call, or {@code System.exit}, does not, as
 * there is nothing to wait for. Nor does the end of {@code main} when no call has needed the runtime and the end of
 * the run would print or write nothing (no summary, progress bar, check report, run folder, or summary in the log):
 * a program that calls no task — one that prints its usage, say — then exits without waiting for a runtime it never
 * used. Should the start end before the JVM does, the runtime is told of the end of {@code main} before any call
 * reaches it, so that a task another thread calls afterwards is one called after {@code main} returned, as it
 * would have been had the end waited.
 *
 * <p>Only for runs whose start cannot fail on the user's input once the options are read (see
 * {@link #suits(RuntimeConfig)}): files to read or write and worker processes start before {@code main}, so that a
 * mistake stops the run before the program has done anything. The progress bar and the handler of uncaught errors
 * are set up on the main thread before {@code main} either way ({@code MasterRuntime.BeforeMain}). A start that
 * fails anyway (a bug of ours) says why on standard error and stops the JVM with status 2, as a start before
 * {@code main} does, unless the JVM is exiting already (then that is why it failed).
 *
 * <p>Threading: any thread. The runtime is published once through a volatile field; callers that need it wait on
 * a lock's monitor.
 */
final class StartingRuntime implements WeftRuntime {
    /** Resolves a task's definition ahead, while its call waits for the start. */
    private final IntConsumer prepare;
    /** Whether the end of the run prints and writes nothing when no task was called. */
    private final boolean quietEnd;
    private volatile WeftRuntime runtime;
    private final Object lock = new Object();
    /**
     * Whether the start ended, and why it failed if it did; whether {@code main} ended without waiting for it, and
     * what it threw if it did. Guarded by {@link #lock}.
     */
    private boolean ended;
    private Throwable failure;
    private boolean mainEnded;
    private Throwable mainThrew;
    /** Whether a call has needed the runtime (and so may have waited for it). */
    private volatile boolean needed;

    private StartingRuntime(IntConsumer prepare, boolean quietEnd) {
        this.prepare = prepare;
        this.quietEnd = quietEnd;
    }

    /**
     * Whether a run with these settings may start beside {@code main}: in this process only, with no file to read or
     * open (a resources, project, checkpoint or placement file).
     */
    static boolean suits(RuntimeConfig config) {
        return config.resources() == null && config.project() == null && config.workers() == 0
                && config.checkpoint() == null && config.placements() == null;
    }

    /**
     * Starts the runtime on a thread of its own and returns at once.
     *
     * @param start starts the runtime (on the new thread)
     * @param prepare told the call site of a task call that is about to wait for the start, on the calling thread:
     *     what it prepares for the call (its task's definition) then takes that thread's core rather than the start's
     * @param quietEnd whether the end of a run that called no task prints and writes nothing, so that the end of
     *     {@code main} need not wait for the start when no call has needed the runtime
     * @param failed told if the start fails, on that thread; expected not to return (if it does, the callers
     *     waiting for the runtime throw)
     */
    static StartingRuntime begin(Supplier<? extends WeftRuntime> start, IntConsumer prepare, boolean quietEnd,
            Consumer<Throwable> failed) {
        StartingRuntime r = new StartingRuntime(prepare, quietEnd);
        // A subclass rather than a lambda, and a monitor rather than a future: this runs before main, where each
        // costs classes of the JDK's to load or spin.
        Thread t = new Thread("weft-start") {
            @Override
            public void run() {
                WeftRuntime m;
                try {
                    m = start.get();
                } catch (RuntimeException | Error e) {
                    failed.accept(e); // first: it says why and stops the JVM, before any waiting caller wakes
                    r.ended(null, e);
                    return;
                }
                Throwable endFailed = r.ended(m, null);
                // From now on the program's calls go to the runtime itself: the access check on each object the
                // program touches is on its hot path, and this one would only add a step to each. (The agent
                // installs this one moments after the start began, some 100 ms before it ends; were it later, the
                // calls would still reach the runtime, through here.)
                Intercept.replace(r, m);
                if (endFailed instanceof RuntimeException e) {
                    throw e; // a bug of ours, said by the handler of uncaught errors once the runtime is published
                } else if (endFailed instanceof Error e) {
                    throw e;
                }
            }
        };
        // A daemon, so that the JVM need not wait for a start that no call needed (see endOfMain). The runtime's
        // threads set their own flag, and a task's threads inherit their executor's, which is a daemon either way.
        t.setDaemon(true);
        t.start();
        return r;
    }

    /**
     * The start ended, with the runtime or why it failed; wakes the callers waiting for it. If {@code main} has ended
     * meanwhile without waiting, the runtime is told so first, before any call can reach it: with no task in flight
     * its end of {@code main} returns at once, and the tasks other threads call from then on are, as always, those
     * called after {@code main} returned.
     *
     * @return what telling the runtime of the end of {@code main} threw, or {@code null}
     */
    private Throwable ended(WeftRuntime m, Throwable failure) {
        Throwable endFailed = null;
        synchronized (lock) {
            try {
                if (m != null && mainEnded) {
                    if (mainThrew != null) {
                        m.endOfMainThrew(mainThrew);
                    } else {
                        m.endOfMain();
                    }
                }
            } catch (RuntimeException | Error e) {
                endFailed = e; // the runtime failed (a bug of ours): the callers waiting for it must still wake
            }
            this.failure = failure;
            this.runtime = m;
            this.ended = true;
            lock.notifyAll();
        }
        return endFailed;
    }

    /** The started runtime, waiting for it if it is still starting. */
    private WeftRuntime started() {
        WeftRuntime m = runtime;
        if (m != null) {
            return m;
        }
        needed = true;
        boolean interrupted = false;
        Throwable why;
        synchronized (lock) {
            while (!ended) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the wait is short and the caller's next step needs the runtime
                }
            }
            why = failure;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (why != null) {
            // The failure was said and the JVM is stopping; this thread must not go on without a runtime.
            throw new IllegalStateException("the Weft runtime could not start", why);
        }
        return runtime;
    }

    @Override
    public Object submit(int site, Object receiver, Object[] args) {
        if (runtime == null) {
            needed = true;
            prepare.accept(site);
        }
        return started().submit(site, receiver, args);
    }

    @Override
    public boolean hasPendingTasks() {
        WeftRuntime m = runtime;
        return m != null && m.hasPendingTasks(); // no task was called before the runtime started
    }

    @Override
    public int taskPace() {
        WeftRuntime m = runtime;
        return m == null ? PACE_UNKNOWN : m.taskPace(); // no task has ended before the runtime started
    }

    @Override
    public void use(Object object) {
        started().use(object);
    }

    @Override
    public boolean ready(Object object) {
        WeftRuntime m = runtime;
        return m != null && m.ready(object);
    }

    @Override
    public boolean plain(Class<?> type) {
        WeftRuntime m = runtime;
        return m != null && m.plain(type);
    }

    @Override
    public void store(Object object) {
        started().store(object);
    }

    @Override
    public void usePath(String path) {
        started().usePath(path);
    }

    @Override
    public void barrier() {
        started().barrier();
    }

    @Override
    public TaskGroup openGroup(String name) {
        return started().openGroup(name);
    }

    @Override
    public List<Integer> assignedGpus() {
        return started().assignedGpus();
    }

    @Override
    public List<Integer> assignedCores() {
        return started().assignedCores();
    }

    @Override
    public Map<String, String> taskEnvironment() {
        return started().taskEnvironment();
    }

    @Override
    public void processStarted(Process process) {
        started().processStarted(process);
    }

    @Override
    public void endOfMain() {
        if (!endsWithoutRuntime(null)) {
            started().endOfMain();
        }
    }

    @Override
    public void endOfMainThrew(Throwable thrown) {
        if (!endsWithoutRuntime(thrown)) {
            started().endOfMainThrew(thrown);
        }
    }

    /**
     * Whether the end of {@code main} leaves the start unwaited for: it is still going, no call has needed it, and
     * the end of such a run prints and writes nothing. The runtime's own end, had it been waited for, would find no
     * task to wait for, no failure to report and nothing to say; should the start end before the JVM does, it is
     * told of the end then (see {@link #ended}).
     */
    private boolean endsWithoutRuntime(Throwable thrown) {
        if (!quietEnd || needed) {
            return false;
        }
        synchronized (lock) {
            if (ended) {
                return false;
            }
            mainEnded = true;
            mainThrew = thrown;
            return true;
        }
    }

    @Override
    public void exitRequested(int status) {
        WeftRuntime m = runtime;
        if (m != null) {
            m.exitRequested(status); // before the start, no task was called: nothing to wait for
        }
    }

    @Override
    public String toString() {
        WeftRuntime m = runtime;
        return m != null ? m.toString() : "the Weft runtime (starting)";
    }
}
