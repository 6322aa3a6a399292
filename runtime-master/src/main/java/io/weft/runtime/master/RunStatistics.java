package io.weft.runtime.master;

import io.weft.api.spi.WeftRuntime;
import io.weft.log.Log;
import io.weft.log.LogLevel;
import io.weft.runtime.master.config.RuntimeConfig;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts tasks for the progress bar and the end-of-run summary, both on standard error so a program's own
 * output is never mixed with them. The bar ({@link ProgressBar}) is shown only when the configuration asks for it
 * (by default on a terminal).
 */
final class RunStatistics {
    private static final Log LOG = Log.of(RunStatistics.class);
    /** How many tasks that ran tell the pace of a run ({@link #notePace}). */
    static final long PACE_TASKS = 500;
    /** A run's tasks are brisk if half of them run this long or less, per executor ({@link #notePace}). */
    static final long PACE_TASK_NANOS = 50_000;
    /** A run's tasks are slow if half of them run longer than this, per executor ({@link #notePace}). */
    static final long SLOW_TASK_NANOS = 1_000_000;
    /** Below this many tasks, C2's compilations of the runtime cost more than they give back. */
    static final long TIP_TASKS = 200_000;
    /** Tasks longer than this on average make the runtime's own time per task a small part of the run. */
    static final long TIP_TASK_NANOS = 50_000;
    private final RuntimeConfig config;
    private final PrintStream out;
    /** The progress bar, or {@code null} when none is shown. */
    private final ProgressBar bar;
    private final AtomicLong submitted = new AtomicLong();
    private long ended;
    /** Of the {@link #ended} tasks, those that ran (not taken from a checkpoint, cancelled, or failed unstarted). */
    private long ran;
    private long failed;
    private volatile long busyNanos;
    /** {@link WeftRuntime#taskPace}: written by the analyser thread, read by the agent's. */
    private volatile int pace = WeftRuntime.PACE_UNKNOWN;
    /** Whether {@link #pace} is told: read by the analyser thread without the cost of a volatile read. */
    private boolean paceTold;
    /** Of the tasks that ran before the pace was told, those short enough to be brisk, long enough to be slow. */
    private long briskTasks;
    private long slowTasks;
    private long startNanos;

    /** Statistics without a progress bar, the summary (if asked for) on standard error. */
    RunStatistics(RuntimeConfig config) {
        this(config, System.err, null);
    }

    /**
     * @param out where the summary goes
     * @param bar the progress bar, or {@code null}
     */
    RunStatistics(RuntimeConfig config, PrintStream out, ProgressBar bar) {
        this.config = config;
        this.out = out;
        this.bar = bar;
    }

    private int executors;
    private int nodes;
    private boolean workerProcesses;
    private final AtomicLong objectsHome = new AtomicLong();
    private final AtomicLong filesHome = new AtomicLong();
    private final AtomicLong bytesHome = new AtomicLong();
    private final AtomicLong droppedAway = new AtomicLong();

    /**
     * The run starts on {@code nodes} nodes with {@code executors} executor threads in all.
     *
     * @param workerProcesses whether tasks run in other processes, whose data may have to be brought home
     */
    void started(int nodes, int executors, boolean workerProcesses) {
        this.nodes = nodes;
        this.executors = executors;
        this.workerProcesses = workerProcesses;
        startNanos = System.nanoTime();
        if (bar != null) {
            bar.start();
        }
    }

    void submitted() {
        submitted.incrementAndGet();
    }

    /**
     * Tells the pace of the run's tasks once {@link #PACE_TASKS} have run: {@link WeftRuntime#PACE_BRISK} if at least
     * half of them ran {@link #PACE_TASK_NANOS} or less per executor (20,000 tasks a second: tasks of 100 µs on two
     * executors, of 2.4 ms on 48), {@link WeftRuntime#PACE_SLOW} if at least half ran more than
     * {@link #SLOW_TASK_NANOS} per executor (1,000 tasks a second), else {@link WeftRuntime#PACE_STEADY}. Half of them
     * rather than their mean: the first few tasks of a run take milliseconds while the JVM loads and interprets the
     * runtime's code. Their run times rather than the times of their ends, for the same reason. Tasks that did not run
     * (taken from a checkpoint, cancelled, failed before they started) do not count.
     */
    private void notePace(long runNanos) {
        if (runNanos <= 0) {
            return;
        }
        long perExecutor = Math.max(1, executors);
        if (runNanos <= PACE_TASK_NANOS * perExecutor) {
            briskTasks++;
        } else if (runNanos > SLOW_TASK_NANOS * perExecutor) {
            slowTasks++;
        }
        if (ran >= PACE_TASKS) {
            paceTold = true;
            pace = briskTasks * 2 >= ran ? WeftRuntime.PACE_BRISK
                    : slowTasks * 2 >= ran ? WeftRuntime.PACE_SLOW : WeftRuntime.PACE_STEADY;
        }
    }

    /** {@link WeftRuntime#taskPace}. Any thread. */
    int pace() {
        return pace;
    }

    /** A task counted by {@link #submitted} could not be posted: it will never end. */
    void notPosted() {
        submitted.decrementAndGet();
    }

    /** Called by the analyser thread only; {@code runNanos} is how long the task ran (0 if it did not run). */
    void ended(boolean withFailure, long runNanos) {
        ended++;
        busyNanos += runNanos;
        if (runNanos > 0) {
            ran++;
        }
        if (!paceTold) {
            notePace(runNanos);
        }
        if (withFailure) {
            failed++;
        }
        if (bar != null) {
            bar.update(ended, submitted.get(), failed);
        }
    }

    /** A version that a worker kept came home because the program needed it ({@code bytes} fetched). */
    void broughtHome(boolean file, long bytes) {
        (file ? filesHome : objectsHome).incrementAndGet();
        bytesHome.addAndGet(Math.max(0, bytes));
    }

    /** A version that a worker kept was dropped there: the program had dropped its object without reading it. */
    void droppedAway() {
        droppedAway.incrementAndGet();
    }

    /**
     * A run of very many short tasks whose runtime code was left to C1 (by {@code runtimeCompiler=c1}, or by
     * {@code auto} because its first tasks were mid-sized) may go faster with C2: the hint for it, or {@code null}.
     */
    String compilerTip(long tasks, long ranTasks, long busy) {
        boolean leftToC1 = config.runtimeCompiler().equals("c1")
                || (config.runtimeCompiler().equals("auto") && pace == WeftRuntime.PACE_STEADY);
        if (!leftToC1 || tasks < TIP_TASKS || ranTasks == 0 || busy / ranTasks >= TIP_TASK_NANOS) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "weft: tip: %d tasks of %.0f us on average; with so many short"
                + " tasks, runtimeCompiler=c2 may run them faster (docs/agent-options.md)", tasks,
                busy / 1e3 / ranTasks);
    }

    /** Called by the application thread at the end of main, once every task has ended. */
    void finished(int failures) {
        if (bar != null) {
            bar.finish(ended, submitted.get(), failed);
        }
        if (!config.summary() && !LOG.isEnabled(LogLevel.INFO)) {
            return; // the summary is for the terminal and the log only; formatting it costs a start's milliseconds
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long n = submitted.get();
        double busy = busyNanos / 1e9 / Math.max(seconds * executors, 1e-9);
        String summary = String.format(java.util.Locale.ROOT,
                "weft: %d %s, %d failed, in %.2f s on %s%d executor %s (%.0f tasks/s, executors busy %.0f%%)",
                n, n == 1 ? "task" : "tasks", failures, seconds, nodes > 1 ? nodes + " nodes, " : "", executors,
                executors == 1 ? "thread" : "threads", n / Math.max(seconds, 1e-9), 100 * busy);
        String home = null;
        if (workerProcesses) {
            long objects = objectsHome.get();
            long files = filesHome.get();
            long dropped = droppedAway.get();
            home = String.format(java.util.Locale.ROOT, "weft: brought home from workers: %d %s, %d %s (%.1f MB)%s",
                    objects, objects == 1 ? "object" : "objects", files, files == 1 ? "file" : "files",
                    bytesHome.get() / 1e6, dropped == 0 ? "" : "; " + dropped + " dropped there unread");
        }
        String tip = compilerTip(n, ran, busyNanos);
        if (config.summary()) {
            out.println(summary);
            if (home != null) {
                out.println(home);
            }
            if (tip != null) {
                out.println(tip);
            }
            out.flush();
        }
        // The log has the summary whether or not it was asked for on the terminal.
        LOG.info(summary);
        if (home != null) {
            LOG.info(home);
        }
        if (tip != null) {
            LOG.info(tip);
        }
    }
}
