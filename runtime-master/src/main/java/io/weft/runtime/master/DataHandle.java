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
    /**
     * The program's own object, or the file's normalised absolute path ({@link #home()}). Held weakly while an
     * object's latest version is away: then only the program keeps its object alive, and once the program drops
     * it, the version is dropped where it lies rather than ever moved (see {@link DataRegistry#dropped}).
     */
    private volatile Object home;
    private final java.lang.ref.WeakReference<Object> weakHome;
    /** The key the registry finds this handle under, once registered. */
    Object key;
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
    /** How many times its versions' history was forgotten (settled home, dropped); analyser thread. */
    int epochs;
    /** The versions; owned by the analyser thread. */
    DataState state;

    DataHandle(long id, Kind kind, Object home) {
        this.id = id;
        this.kind = kind;
        this.home = home;
        this.weakHome = kind == Kind.OBJECT ? new java.lang.ref.WeakReference<>(home) : null;
    }

    /** The program's object or the file's path; {@code null} once the program dropped an object that was away. */
    Object home() {
        Object h = home;
        return h != null || weakHome == null ? h : weakHome.get();
    }

    /** The object's latest version goes away: from now on only the program keeps the object alive. */
    void holdWeakly() {
        if (kind == Kind.OBJECT) {
            home = null;
        }
    }

    /** The datum is home again: holds the object again; whether the program still had it. */
    boolean holdStrongly() {
        if (home == null) {
            home = weakHome.get();
        }
        return home != null;
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
        Object h = home();
        return (kind == Kind.FILE ? "file " + h : "object " + (h == null ? "(dropped)" : h.getClass().getName())) + " #"
                + id;
    }
}
