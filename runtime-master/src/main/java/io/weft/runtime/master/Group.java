package io.weft.runtime.master;

import io.weft.api.TaskGroup;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task group: counts its unfinished tasks (its own and those of the groups nested in it) and remembers the first
 * failure of its own tasks, or that it was cancelled. Either stops the group and every group nested in it: their
 * tasks that have not started are skipped, and the analyser cancels those running ({@link #stoppedBy}). {@link
 * #close()} waits for the tasks and rethrows the failure.
 *
 * <p>Threading: opened, closed and cancelled by application threads; {@link #taskEnded} is called by the analyser
 * thread, which alone touches {@link #stopSent}. Lifecycle: opened by {@link Synchroniser#openGroup} inside the
 * innermost group the thread has open (its parent), closed once.
 */
final class Group implements TaskGroup {
    private final String name;
    /** The group this one was opened in, on the same thread, or {@code null}. */
    final Group parent;
    private final Synchroniser synchroniser;
    /** Its unfinished tasks, including those of nested groups. */
    final AtomicInteger unfinished = new AtomicInteger();
    /**
     * The first failure of one of its own tasks (not a nested group's) before any cancel: one it threw, or that of
     * an input it needed.
     */
    volatile TaskFailure failure;
    /** Set by {@link #cancel()}: the failure its cancelled tasks' data carry. */
    volatile TaskFailure cancelled;
    /** Whether the analyser sent the cancels for its running tasks. Analyser thread. */
    boolean stopSent;
    private volatile boolean waiting;

    Group(String name, Group parent, Synchroniser synchroniser) {
        this.name = name;
        this.parent = parent;
        this.synchroniser = synchroniser;
    }

    @Override
    public String name() {
        return name;
    }

    /** A task of this group was submitted: it counts here and in every enclosing group. Application thread. */
    void submitted() {
        for (Group g = this; g != null; g = g.parent) {
            g.unfinished.incrementAndGet();
        }
    }

    /**
     * Why the group's tasks must not run: the failure or cancel of this group or of one it is nested in, or
     * {@code null}.
     */
    TaskFailure stoppedBy() {
        for (Group g = this; g != null; g = g.parent) {
            TaskFailure f = g.failure;
            if (f == null) {
                f = g.cancelled;
            }
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    /** Whether this group is {@code g} or nested in it. */
    boolean within(Group g) {
        for (Group x = this; x != null; x = x.parent) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    /**
     * Called by the analyser when one of the group's own tasks ends.
     *
     * @param taskFailure its failure, or {@code null}: a task skipped or cancelled because this group or an
     *     enclosing one stopped ends with the failure that stopped it, which is not a failure of this group's own
     */
    void taskEnded(TaskFailure taskFailure) {
        if (taskFailure != null && failure == null && cancelled == null && taskFailure != stoppedBy()) {
            failure = taskFailure;
        }
        countEnded();
    }

    /** A task counted by {@link #submitted} could not be posted: it will never end. Application thread. */
    void notPosted() {
        countEnded();
    }

    /** One task fewer unfinished, here and in the groups it is nested in: wakes a {@link #close()} waiting. */
    private void countEnded() {
        for (Group g = this; g != null; g = g.parent) {
            if (g.unfinished.decrementAndGet() == 0 && g.waiting) {
                synchronized (g) {
                    g.notifyAll();
                }
            }
        }
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (cancelled != null) {
                return;
            }
            cancelled = TaskFailure.groupCancelled(name);
        }
        synchroniser.cancelled(this);
    }

    @Override
    public void close() {
        synchroniser.closed(this);
        synchronized (this) {
            waiting = true;
            try {
                while (unfinished.get() > 0) {
                    synchroniser.checkAnalyser();
                    synchroniser.waitOn(this, "task group " + name);
                }
            } finally {
                waiting = false;
            }
        }
        TaskFailure f = failure;
        if (f != null) {
            throw synchroniser.report(f);
        }
    }
}
