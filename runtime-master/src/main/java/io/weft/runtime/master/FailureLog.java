package io.weft.runtime.master;

import io.weft.api.TaskFailedException;
import io.weft.log.Log;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The failures of a run and which of them the program has been told of. Root failures only: a task cancelled
 * because an input failed carries its root's failure and is not logged again. Thread-safe: the analyser adds,
 * application threads report.
 */
final class FailureLog {
    private static final Log LOG = Log.of(FailureLog.class);
    private static final int SUPPRESSED_SHOWN = 3;
    private final CappedWarnings ignoredFailures = new CappedWarnings(LOG, 10, "",
            " (further ignored failures go to the run's log only)");

    private final List<TaskFailure> failures = new ArrayList<>();
    private volatile boolean any;

    /** A task failed (or a version could not be moved home). */
    synchronized void add(TaskFailure failure) {
        if (failure.ignored) {
            // As declared: the program is not told, and the run goes on; standard error says so, a few times.
            failure.reported = true;
            String line = "weft: task " + failure.taskName + " (#" + failure.taskId + ") failed on worker "
                    + failure.worker + " after " + failure.attempts + (failure.attempts == 1 ? " attempt" : " attempts")
                    + ": " + failure.cause + "; ignored, as it declares (onFailure = IGNORE)";
            ignoredFailures.say(line);
            failures.add(failure);
            any = true; // its result and the files it would have written are failed: uses must check
            return;
        }
        // The program hears of it (an exception, or the report at the end); the log keeps it when it fails.
        LOG.info("task " + failure.taskName + " (#" + failure.taskId + ") failed on worker " + failure.worker
                + " after " + failure.attempts + (failure.attempts == 1 ? " attempt" : " attempts"), failure.cause);
        failures.add(failure);
        any = true;
    }

    /** Some datum now carries a failure, logged or not: uses of data must check from now on. */
    void poisoned() {
        any = true;
    }

    boolean any() {
        return any;
    }

    synchronized int count() {
        return failures.size();
    }

    /** Marks a failure as told to the program and makes the exception that tells it. */
    synchronized TaskFailedException report(TaskFailure failure) {
        failure.reported = true;
        return failure.toException();
    }

    /** Reports the first failure the program was not told of, or returns {@code null} if there is none. */
    synchronized TaskFailedException reportFirstUnreported() {
        for (TaskFailure f : failures) {
            if (!f.reported) {
                return report(f);
            }
        }
        return null;
    }

    /**
     * Reports every failure the program was not told of as one exception — the first, with the next few
     * suppressed — or returns {@code null} if there is none.
     */
    synchronized TaskFailedException reportAllUnreported(PrintStream err) {
        TaskFailedException first = reportFirstUnreported();
        if (first == null) {
            return null;
        }
        int more = 0;
        for (TaskFailure f : failures) {
            if (!f.reported) {
                f.reported = true;
                if (first.getSuppressed().length < SUPPRESSED_SHOWN) {
                    first.addSuppressed(f.toException());
                } else {
                    more++;
                }
            }
        }
        if (more > 0) {
            err.println("weft: " + more + " more failed tasks are not shown");
        }
        return first;
    }

    /**
     * Prints every failure the program was not told of, when there is no exception left to carry them.
     *
     * @return how many there were
     */
    synchronized int printUnreported(PrintStream err) {
        int printed = 0;
        for (TaskFailure f : failures) {
            if (!f.reported) {
                f.reported = true;
                err.print("weft: ");
                f.toException().printStackTrace(err);
                printed++;
            }
        }
        return printed;
    }
}
