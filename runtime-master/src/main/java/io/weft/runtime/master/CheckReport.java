package io.weft.runtime.master;

import io.weft.log.Log;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What the check mode ({@code check=true}) found: the undeclared writes the workers report with each task's outcome
 * ({@code UndeclaredWriteCheck}). Each distinct finding is printed at once on standard error, prefixed with the
 * task's name, up to {@link #SHOWN_PER_TASK} for each task; a finding repeated by later calls of the same task, or
 * one past that number, is counted but not printed; at the end of the run one line sums up, and any finding makes
 * the exit status 1.
 *
 * <p>Threading: findings arrive on the threads that complete the tasks' futures; the summary is asked for by the
 * thread that ends the run, after every task ended. Thread-safe.
 */
final class CheckReport {
    private static final Log LOG = Log.of(CheckReport.class);
    /** At most this many distinct findings are printed for each task (a loop writing a file per call, say). */
    static final int SHOWN_PER_TASK = 5;

    private final Consumer<String> err;
    private final Set<String> printed = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> shown = new ConcurrentHashMap<>();
    private final AtomicInteger checked = new AtomicInteger();
    private final AtomicInteger findings = new AtomicInteger();
    private final Set<Long> tasksWithFindings = ConcurrentHashMap.newKeySet();

    /** @param err where the report goes, a line at a time (standard error) */
    CheckReport(Consumer<String> err) {
        this.err = err;
    }

    /** The report on standard error. */
    static CheckReport onStandardError() {
        return new CheckReport(LOG::console);
    }

    /**
     * An attempt at a task ran under the check.
     *
     * @param task the task's name, {@code Class.method}
     * @param findings what it wrote without declaring it, each a sentence that follows "task Class.method"
     */
    void ran(long taskId, String task, List<String> findings) {
        checked.incrementAndGet();
        if (findings.isEmpty()) {
            return;
        }
        tasksWithFindings.add(taskId);
        for (String f : findings) {
            this.findings.incrementAndGet();
            String line = "weft: check: task " + task + " " + f;
            if (printed.add(line)
                    && shown.computeIfAbsent(task, t -> new AtomicInteger()).incrementAndGet() <= SHOWN_PER_TASK) {
                err.accept(line);
            }
        }
    }

    /** How many undeclared writes were found so far. */
    int count() {
        return findings.get();
    }

    /**
     * Says what the check found in the whole run, in one line: a run with findings ends with exit status 1, which
     * the line says.
     */
    void summarise() {
        int found = findings.get();
        int tasks = checked.get();
        String ran = tasks + (tasks == 1 ? " task" : " tasks");
        if (found == 0) {
            err.accept("weft: check: no undeclared writes in " + ran + ".");
            return;
        }
        err.accept("weft: check: " + found + (found == 1 ? " undeclared write" : " undeclared writes") + " by "
                + tasksWithFindings.size() + " of " + ran + " (shown above, at most " + SHOWN_PER_TASK
                + " for each task); until they are"
                + " declared, the program may print something else with the agent than without it. Exiting with"
                + " status 1.");
    }
}
