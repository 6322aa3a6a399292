package io.weft.runtime.worker;

import java.util.List;

/**
 * How an attempt at a task ended, as the worker reports it.
 *
 * @param taskId the task's id
 * @param result the value the method returned, or {@code null}
 * @param used for each binding, the object or file path the task actually used — the source, or its copy —
 *     which holds the new version of that datum
 * @param error the task's own exception, or {@code null} if it succeeded
 * @param worker the worker that ran it
 * @param executor the index of the executor thread that ran it
 * @param startNanos when it started ({@link System#nanoTime()})
 * @param endNanos when it ended
 * @param cores the core ids it held
 * @param gpus the GPU device ids it held
 * @param findings in check mode, what the task wrote without declaring it, each a sentence that follows "task
 *     Name.method" (see {@code UndeclaredWriteCheck}); empty otherwise
 */
public record TaskOutcome(
        long taskId,
        Object result,
        Object[] used,
        Throwable error,
        String worker,
        int executor,
        long startNanos,
        long endNanos,
        int[] cores,
        int[] gpus,
        List<String> findings) {
    public TaskOutcome {
        findings = List.copyOf(findings);
    }

    /** An outcome with no check-mode findings. */
    public TaskOutcome(long taskId, Object result, Object[] used, Throwable error, String worker, int executor,
            long startNanos, long endNanos, int[] cores, int[] gpus) {
        this(taskId, result, used, error, worker, executor, startNanos, endNanos, cores, gpus, List.of());
    }

    /** An attempt that failed before it ran (it could not be sent, say): no result, nothing used, no time. */
    public static TaskOutcome notRun(TaskExecution execution, Throwable error, String worker) {
        long now = System.nanoTime();
        return new TaskOutcome(execution.taskId(), null, new Object[execution.bindings().length], error, worker, 0,
                now, now, new int[0], new int[0]);
    }

    /**
     * An attempt its worker gave back before it started, because the master asked for it (another worker idled):
     * it did not run, and runs again elsewhere. Not a failure of the task.
     */
    public static TaskOutcome withdrawn(TaskExecution execution, String worker) {
        return notRun(execution, Withdrawn.INSTANCE, worker);
    }

    /** Whether the task completed normally. */
    public boolean succeeded() {
        return error == null;
    }

    /** Whether the attempt was given back unstarted ({@link #withdrawn}), rather than run or failed. */
    public boolean isWithdrawn() {
        return error == Withdrawn.INSTANCE;
    }

    /** The mark of a withdrawn attempt: never thrown, never reported as a task's failure. */
    private static final class Withdrawn extends RuntimeException {
        static final Withdrawn INSTANCE = new Withdrawn();

        private Withdrawn() {
            super("withdrawn before it started", null, false, false);
        }
    }
}
