package io.weft.api;

/**
 * A named group of tasks, opened with {@link Weft#group(String)} in a try-with-resources block. Every task
 * submitted by this thread inside the block belongs to the group. {@link #close()} waits for all of them; if one
 * failed, the group's tasks that had not started are cancelled and close rethrows the failure as a
 * {@link TaskFailedException}.
 *
 * <p>Without the agent, close does nothing: the tasks already ran, in order, and threw where they were called.
 */
public interface TaskGroup extends AutoCloseable {
    /** The group's name. */
    String name();

    /**
     * Waits for the group's tasks.
     *
     * @throws TaskFailedException if one of the group's tasks failed
     */
    @Override
    void close();
}
