package io.weft.runtime.master;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One datum known to the runtime: an application object or a file, with the count of tasks that still use it.
 *
 * <p>Shared between threads. Application threads create handles and count a use in {@link #pending} before they
 * post a task; the analyser thread counts it down when the task ends. When no task uses it any more, its latest
 * version is moved into the program's object or file, at once if it is in this process, or when the program asks
 * for it if a worker keeps it (see {@link #away}). A handle whose count reached zero is retired (count
 * {@code -1}) and forgotten; the next use of the same object creates a fresh handle. {@link #state} is touched only by the analyser thread.
 */
final class DataHandle {
    enum Kind {
        OBJECT,
        FILE
    }

    final long id;
    final Kind kind;
    /** The program's own object, or the file's normalised absolute path. */
    final Object home;
    /** Unfinished tasks that use this datum, as counted by submitters; {@code -1} once retired. */
    final AtomicInteger pending = new AtomicInteger(1);
    /** Set when the datum's latest version was produced by a failed task. */
    volatile TaskFailure failure;
    /** Whether an application thread waits on this handle's monitor. */
    volatile boolean waiting;
    /**
     * Whether the datum's latest version is kept by a worker while no task uses it: the program's object or file
     * is stale until the version is moved home, which happens when the program touches it. An away datum holds one
     * count of {@link #pending}, so it stays registered and a use of it waits.
     */
    volatile boolean away;
    /** Whether the program asked for the datum: an away version is moved home as soon as no task uses it. */
    volatile boolean homeWanted;
    /** The version being moved home, or {@code null}; analyser thread. */
    Version moving;
    /** The versions; owned by the analyser thread. */
    DataState state;

    DataHandle(long id, Kind kind, Object home) {
        this.id = id;
        this.kind = kind;
        this.home = home;
    }

    /** Counts one more use unless the handle is retired. */
    boolean tryAcquire() {
        while (true) {
            int p = pending.get();
            if (p < 0) {
                return false;
            }
            if (pending.compareAndSet(p, p + 1)) {
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return (kind == Kind.FILE ? "file " + home : "object " + home.getClass().getName()) + " #" + id;
    }
}
