package io.weft.runtime.master;

import io.weft.api.TaskFailedException;
import java.util.List;

/**
 * A task that ended in failure: its name, where it ran, how often it was tried, and its own exception. Shared by
 * every datum the failure poisons and by every task it cancels, so the program always hears of the root cause.
 * The {@code reported} flag is touched only by application threads under the runtime's failure lock.
 */
final class TaskFailure {
    final long taskId;
    final String taskName;
    final int attempts;
    final String worker;
    final Throwable cause;
    /** The failures of the task's earlier attempts, oldest first (empty when it was tried once). */
    final List<TaskFailure> earlier;
    volatile boolean reported;
    /** Whether the task's policy is {@code IGNORE}: the run goes on as if the program had been told of it. */
    volatile boolean ignored;

    TaskFailure(long taskId, String taskName, int attempts, String worker, Throwable cause) {
        this(taskId, taskName, attempts, worker, cause, null);
    }

    TaskFailure(long taskId, String taskName, int attempts, String worker, Throwable cause,
            List<TaskFailure> earlier) {
        this.taskId = taskId;
        this.taskName = taskName;
        this.attempts = attempts;
        this.worker = worker;
        this.cause = cause;
        this.earlier = earlier == null ? List.of() : List.copyOf(earlier);
    }

    /**
     * The failure a cancelled task group's tasks carry: the data they would have produced throw it, a
     * {@link TaskFailedException} whose cause is a {@link java.util.concurrent.CancellationException}.
     */
    static TaskFailure groupCancelled(String group) {
        return new TaskFailure(-1, "(task group " + group + ")", 0, "(none)",
                new java.util.concurrent.CancellationException("task group '" + group + "' was cancelled"));
    }

    /**
     * The exception that tells the program: the task, its last worker, its attempts and its own exception; each
     * earlier attempt's exception is attached as a suppressed one naming its attempt and worker.
     */
    TaskFailedException toException() {
        if (taskId < 0) {
            return new TaskFailedException(cause.getMessage() + ": its tasks that had not ended were cancelled",
                    taskName, attempts, worker, cause);
        }
        String message = "task " + taskName + " (#" + taskId + ") failed on worker " + worker + " after "
                + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + cause;
        TaskFailedException e = new TaskFailedException(message, taskName, attempts, worker, cause);
        for (int i = 0; i < earlier.size(); i++) {
            TaskFailure f = earlier.get(i);
            e.addSuppressed(new TaskFailedException("attempt " + (i + 1) + " on worker " + f.worker + ": " + f.cause,
                    taskName, i + 1, f.worker, f.cause));
        }
        return e;
    }
}
