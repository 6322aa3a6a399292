package io.weft.api;

/**
 * A task ended in failure. Thrown where the program synchronises on the task's output, at a barrier, at the close
 * of a task group, or at the end of {@code main}.
 *
 * <p>The {@linkplain #getCause() cause} is the exception the task itself threw (or, for a task that could not
 * run because an input failed, the exception of the task that failed first).
 */
public class TaskFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String taskName;
    private final int attempts;
    private final String worker;

    /**
     * Creates the exception.
     *
     * @param message what failed, for people
     * @param taskName the task's name, {@code Class.method}
     * @param attempts how many times the task was tried
     * @param worker the worker on which it last ran
     * @param cause the task's own exception
     */
    public TaskFailedException(String message, String taskName, int attempts, String worker, Throwable cause) {
        super(message, cause);
        this.taskName = taskName;
        this.attempts = attempts;
        this.worker = worker;
    }

    /** The failed task's name, as {@code SimpleClassName.method}. */
    public String taskName() {
        return taskName;
    }

    /** How many times the task was tried. */
    public int attempts() {
        return attempts;
    }

    /** The worker on which the task last ran. */
    public String worker() {
        return worker;
    }
}
