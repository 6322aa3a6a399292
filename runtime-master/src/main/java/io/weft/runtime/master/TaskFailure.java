package io.weft.runtime.master;

import io.weft.api.TaskFailedException;

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
    volatile boolean reported;

    TaskFailure(long taskId, String taskName, int attempts, String worker, Throwable cause) {
        this.taskId = taskId;
        this.taskName = taskName;
        this.attempts = attempts;
        this.worker = worker;
        this.cause = cause;
    }

    /**
     * The failure a cancelled task group's tasks carry: the data they would have produced throw it, a
     * {@link TaskFailedException} whose cause is a {@link java.util.concurrent.CancellationException}.
     */
    static TaskFailure groupCancelled(String group) {
        return new TaskFailure(-1, "(task group " + group + ")", 0, "(none)",
                new java.util.concurrent.CancellationException("task group '" + group + "' was cancelled"));
    }

    TaskFailedException toException() {
        if (taskId < 0) {
            return new TaskFailedException(cause.getMessage() + ": its tasks that had not ended were cancelled",
                    taskName, attempts, worker, cause);
        }
        String message = "task " + taskName + " (#" + taskId + ") failed on worker " + worker + " after "
                + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + cause;
        return new TaskFailedException(message, taskName, attempts, worker, cause);
    }
}
