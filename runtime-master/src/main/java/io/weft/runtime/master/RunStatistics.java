package io.weft.runtime.master;

import io.weft.runtime.master.config.RuntimeConfig;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts tasks for the progress bar and the end-of-run summary, both on standard error so a program's own
 * output is never mixed with them. The progress bar redraws at most five times a second, only on a terminal,
 * and only once a run has lasted a second.
 */
final class RunStatistics {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long FIRST_DRAW_NANOS = 1_000_000_000L;

    private final RuntimeConfig config;
    private final PrintStream out = System.err;
    private final AtomicLong submitted = new AtomicLong();
    private long ended;
    private long failed;
    private volatile long busyNanos;
    private long startNanos;
    private long lastDraw;
    private boolean drawn;

    RunStatistics(RuntimeConfig config) {
        this.config = config;
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
        lastDraw = startNanos;
    }

    void submitted() {
        submitted.incrementAndGet();
    }

    /** Called by the analyser thread only; {@code runNanos} is how long the task ran (0 if it did not run). */
    void ended(boolean withFailure, long runNanos) {
        ended++;
        busyNanos += runNanos;
        if (withFailure) {
            failed++;
        }
        if (config.progress() && (ended & 255) == 0) {
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS && now - startNanos >= FIRST_DRAW_NANOS) {
                lastDraw = now;
                draw();
            }
        }
    }

    private void draw() {
        long total = submitted.get();
        int width = 30;
        int filled = total == 0 ? 0 : (int) (width * ended / total);
        out.print("\rweft [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + ended + "/" + total
                + " tasks" + (failed > 0 ? ", " + failed + " failed" : "") + "   ");
        out.flush();
        drawn = true;
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
        if (drawn) {
            draw();
            out.println();
        }
        if (config.summary()) {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            long n = submitted.get();
            double busy = busyNanos / 1e9 / Math.max(seconds * executors, 1e-9);
            out.printf(java.util.Locale.ROOT,
                    "weft: %d %s, %d failed, in %.2f s on %s%d executor %s (%.0f tasks/s, executors busy %.0f%%)%n",
                    n, n == 1 ? "task" : "tasks", failures, seconds, nodes > 1 ? nodes + " nodes, " : "", executors,
                    executors == 1 ? "thread" : "threads", n / Math.max(seconds, 1e-9), 100 * busy);
            if (workerProcesses) {
                long objects = objectsHome.get();
                long files = filesHome.get();
                long dropped = droppedAway.get();
                out.printf(java.util.Locale.ROOT, "weft: brought home from workers: %d %s, %d %s (%.1f MB)%s%n",
                        objects, objects == 1 ? "object" : "objects", files, files == 1 ? "file" : "files",
                        bytesHome.get() / 1e6, dropped == 0 ? "" : "; " + dropped + " dropped there unread");
            }
            out.flush();
        }
    }
}
