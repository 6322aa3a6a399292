package io.weft.runtime.master;

import io.weft.api.TaskGroup;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task group: counts its unfinished tasks and remembers the first failure, after which the group's tasks that
 * have not started are cancelled. {@link #close()} waits for the rest and rethrows the failure.
 */
final class Group implements TaskGroup {
    private final String name;
    private final Synchroniser synchroniser;
    final AtomicInteger unfinished = new AtomicInteger();
    volatile TaskFailure failure;
    private volatile boolean waiting;

    Group(String name, Synchroniser synchroniser) {
        this.name = name;
        this.synchroniser = synchroniser;
    }

    @Override
    public String name() {
        return name;
    }

    /** Called by the analyser when one of the group's tasks ends. */
    void taskEnded(TaskFailure taskFailure) {
        if (taskFailure != null && failure == null) {
            failure = taskFailure;
        }
        if (unfinished.decrementAndGet() == 0 && waiting) {
            synchronized (this) {
                notifyAll();
            }
        }
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
