package io.weft.runtime.master;

import io.weft.log.Log;

/**
 * Stops the run at once when a task declared {@code @Task(onFailure = FAIL)} fails: says which task failed, where,
 * after how many attempts and with what exception (stack trace included), then exits with status 1. The exit hook
 * stops the workers without waiting for the tasks still running or queued; in this JVM they end with it.
 */
final class RunStop {
    private static final Log LOG = Log.of(RunStop.class);

    /** The exit status of a run stopped by a task whose policy is {@code FAIL}. */
    static final int STATUS = 1;

    private RunStop() {}

    /** Stops the run for a failed task whose policy is {@code FAIL}. Any thread; only the first stop speaks. */
    static void taskFailed(TaskFailure failure) {
        if (!Signals.stopping("a task declared onFailure = FAIL failed")) {
            return; // stopping already, for another reason that was said
        }
        // Not marked as told: a wait of the program's that it ends meanwhile throws it, rather than return normally.
        LOG.error("weft: task " + failure.taskName + " (#" + failure.taskId + ") failed and declares onFailure = FAIL:"
                + " the run stops, with exit status " + STATUS, failure.toException());
        exitSoon(STATUS, "weft-fail-stop");
    }

    /**
     * Exits with {@code status} from a thread of its own, so that the caller (a network or analyser thread the exit
     * hooks may wait for) returns at once.
     */
    static void exitSoon(int status, String threadName) {
        Thread exit = new Thread(() -> System.exit(status), threadName);
        exit.setDaemon(true);
        exit.start();
    }
}
