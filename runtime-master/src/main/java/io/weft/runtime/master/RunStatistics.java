package io.weft.runtime.master;

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
    private final RuntimeConfig config;
    private final PrintStream out;
    /** The progress bar, or {@code null} when none is shown. */
    private final ProgressBar bar;
    private final AtomicLong submitted = new AtomicLong();
    private long ended;
    private long failed;
    private volatile long busyNanos;
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

    /** A task counted by {@link #submitted} could not be posted: it will never end. */
    void notPosted() {
        submitted.decrementAndGet();
    }

    /** Called by the analyser thread only; {@code runNanos} is how long the task ran (0 if it did not run). */
    void ended(boolean withFailure, long runNanos) {
        ended++;
        busyNanos += runNanos;
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
        if (config.summary()) {
            out.println(summary);
            if (home != null) {
                out.println(home);
            }
            out.flush();
        }
        // The log has the summary whether or not it was asked for on the terminal.
        LOG.info(summary);
        if (home != null) {
            LOG.info(home);
        }
    }
}
