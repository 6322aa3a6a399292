package io.weft.api;

/**
 * No node of the run can ever run a task: for each of its implementations, some {@link Constraint} is beyond
 * every node. Thrown at the call, before the task is submitted; the message names the task, the unmet
 * constraints and the nodes that came closest.
 */
public class UnschedulableTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String taskName;

    /**
     * @param message the task, the unmet constraints and the closest nodes, for people
     * @param taskName the task's name, {@code Class.method}
     */
    public UnschedulableTaskException(String message, String taskName) {
        super(message);
        this.taskName = taskName;
    }

    /** The task's name, as {@code SimpleClassName.method}. */
    public String taskName() {
        return taskName;
    }
}
