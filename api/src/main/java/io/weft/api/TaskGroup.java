package io.weft.api;

/**
 * A named group of tasks, opened with {@link Weft#group(String)} in a try-with-resources block. Every task
 * submitted by this thread inside the block belongs to the group. {@link #close()} waits for all of them.
 *
 * <p>If one of the group's tasks fails, the group stops: its tasks that have not started are skipped, and those
 * running are cancelled — their executor threads are interrupted and the processes they started are ended (see
 * {@link #cancel()}); close then rethrows the failure as a {@link TaskFailedException}.
 *
 * <p>Groups nest: a group opened inside another's block (on the same thread) is part of it. A task belongs to the
 * innermost open group and counts in every enclosing one, so an outer close also waits for the tasks of nested
 * groups. A failure or cancel of a group stops the groups nested in it too; a failure in a nested group stops
 * only that group — the enclosing group hears of it as the exception the nested close throws, like any other.
 *
 * <p>Without the agent, close and cancel do nothing: the tasks already ran, in order, and threw where they were
 * called.
 */
public interface TaskGroup extends AutoCloseable {
    /** The group's name. */
    String name();

    /**
     * Cancels the group's tasks that have not ended, and those of the groups nested in it. A task that has not
     * started does not run. A running task's executor thread is interrupted, and the processes it started are ended
     * with their descendants (TERM, then KILL); a task that ignores the interrupt and has not returned within about
     * a second has its executor thread abandoned (the thread is left to finish on its own, and its result is
     * ignored). A cancelled task is not a failure of its own and is never retried: data it would have updated keep
     * their previous version, and data it would have produced throw a {@link TaskFailedException} whose cause is
     * a {@link java.util.concurrent.CancellationException} when the program uses them. A task that finished before
     * the cancel reached it keeps its result.
     *
     * <p>Returns at once, from any thread; {@link #close()} still waits for the cancelled tasks to end, and throws
     * only if one of the group's tasks had failed before the cancel. Cancelling twice does nothing more.
     */
    void cancel();

    /**
     * Waits for the group's tasks, and those of the groups nested in it.
     *
     * @throws TaskFailedException if one of the group's own tasks failed (before any cancel)
     */
    @Override
    void close();
}
