package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.worker.Binding;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The dependency graph and the versions of every datum in use. Pure and single-threaded: the analyser thread
 * calls it; tests call it directly.
 *
 * <p>{@link #register} gives each access of a new task the version it reads and the version it writes, and
 * counts the unfinished producers it must wait for (read-after-write only). {@link #plan} decides, when the task
 * is about to run, whether each write may happen in place or needs a private copy (renaming). {@link #complete}
 * records the produced versions, releases successors, and once a datum is no longer used hands its latest version
 * to the {@link Consolidator} so the program's own object or file holds it; the datum's state is then dropped.
 *
 * <p>A latest version that a worker keeps (or that the master holds {@link Encoded}) is not moved when the datum
 * goes quiet: the datum stays <em>away</em>
 * (its state kept, older versions forgotten) until the program asks for it ({@link #wantHome}); the move is then
 * started ({@link Consolidator#bringHome}) and finishes when its value {@link #arrived}. Nothing here waits.
 */
final class TaskGraph {
    /** Moves a datum's latest version into the program's own object or file. */
    interface Consolidator {
        /**
         * @param handle the datum
         * @param latest the object or path holding its latest version, not its home
         * @throws RuntimeException if the value cannot be moved home; the datum then fails with it
         */
        void consolidate(DataHandle handle, Object latest);

        /**
         * The value to record for a task's result: by default the result itself; an implementation may move it
         * into its placeholder at once and return the placeholder, so that readers get the program's reference.
         */
        default Object resultValue(DataHandle handle, Object result) {
            return result;
        }

        /** Lets the worker that keeps a version drop it: no one needs it any more. */
        default void forget(Kept value) {}

        /** Deletes a temporary file that no version needs any more. */
        void discard(String temporary);

        /** Records that moving a datum home failed; returns the failure the datum now carries. */
        TaskFailure failed(DataHandle handle, RuntimeException error);

        /** The datum's latest version stays in a worker while no task uses it: the datum holds one more use. */
        default void wentAway(DataHandle handle) {}

        /** The datum's latest version is in the program's object or file again: the use {@link #wentAway} took ends. */
        default void cameHome(DataHandle handle) {}

        /** The program dropped an away datum's object, and its version was forgotten: the use {@link #wentAway} took ends. */
        default void dropped(DataHandle handle) {
            cameHome(handle);
        }

        /**
         * Starts moving a version a worker keeps home, without waiting: its value (an object, or the path of a file
         * next to the program's) or the error comes back to {@link TaskGraph#arrived} on the graph's thread.
         */
        default void bringHome(DataHandle handle, Version version) {
            throw new IllegalStateException("no worker keeps versions in this run");
        }
    }

    private final Consolidator consolidator;
    private final ArrayDeque<TaskNode> ready = new ArrayDeque<>();
    private final List<DataHandle> quieted = new ArrayList<>();

    TaskGraph(Consolidator consolidator) {
        this.consolidator = consolidator;
    }

    /** Tasks that became ready since the last call, in the order they did. */
    ArrayDeque<TaskNode> ready() {
        return ready;
    }

    /** Data that no unfinished task uses any more, since the last call; the caller clears the list. */
    List<DataHandle> quieted() {
        return quieted;
    }

    /** Registers a new task behind every task registered before it. */
    void register(TaskNode task) {
        for (Access a : task.accesses) {
            DataHandle h = a.handle;
            DataState s = h.state;
            if (s == null) {
                s = new DataState(h.home(), ++h.epochs);
                h.state = s;
            }
            s.unfinished++;
            switch (a.mode) {
                case READ -> {
                    s.closeGroup();
                    a.read = s.current;
                    a.read.addReader(task);
                    dependOn(task, a.read);
                }
                case UPDATE -> {
                    s.closeGroup();
                    a.read = s.current;
                    dependOn(task, a.read);
                    a.write = s.newVersion();
                    a.write.producers.add(task);
                    s.current = a.write;
                }
                case WRITE, RESULT -> {
                    s.closeGroup();
                    a.write = s.newVersion();
                    a.write.producers.add(task);
                    s.current = a.write;
                }
                case CONCURRENT, COMMUTATIVE -> {
                    Version g = s.openGroup;
                    if (g == null || g.groupMode != a.mode) {
                        s.closeGroup();
                        g = s.newVersion();
                        g.base = s.current;
                        g.groupMode = a.mode;
                        s.openGroup = g;
                    }
                    a.read = g.base;
                    a.write = g;
                    g.producers.add(task);
                    dependOn(task, g.base);
                    // In-place updates must not overtake earlier readers of the version they update.
                    if (g.base.readers != null) {
                        for (TaskNode r : g.base.readers) {
                            if (!r.finished && r != task) {
                                edge(r, task);
                            }
                        }
                    }
                }
            }
        }
        if (task.waitingOn == 0) {
            becomeReady(task);
        }
    }

    private void dependOn(TaskNode task, Version version) {
        for (TaskNode p : version.producers) {
            if (p != task) {
                edge(p, task);
            }
        }
        if (task.doomedBy == null) {
            task.doomedBy = version.doomsReaders();
        }
    }

    private void edge(TaskNode from, TaskNode to) {
        if (from.successors == null) {
            from.successors = new ArrayList<>(2);
        }
        from.successors.add(to);
        to.waitingOn++;
        if (from.queuedLeaf && onLeading != null) {
            onLeading.leads(from);
        }
    }

    /**
     * Told of a ready task that waited with nothing after it, when a task that depends on it is registered; or
     * {@code null}.
     */
    private ReadyQueue onLeading;

    /** Sets the ready queue told when a waiting ready task that led nowhere gets a successor. */
    void onLeading(ReadyQueue then) {
        this.onLeading = then;
    }

    private void becomeReady(TaskNode task) {
        for (Access a : task.accesses) {
            if (a.mode == Mode.COMMUTATIVE) {
                Version g = a.write;
                if (g.mutexHeld) {
                    if (g.mutexWaiters == null) {
                        g.mutexWaiters = new ArrayDeque<>();
                    }
                    g.mutexWaiters.add(task);
                    return;
                }
            }
        }
        for (Access a : task.accesses) {
            if (a.mode == Mode.COMMUTATIVE) {
                a.write.mutexHeld = true;
            }
        }
        ready.add(task);
    }

    /**
     * Decides how each datum reaches the task: in place, or as a private copy when the task writes a version
     * that unfinished tasks still read. Called once, just before the task runs.
     */
    Binding[] plan(TaskNode task) {
        Access[] accesses = task.accesses;
        Binding[] bindings = new Binding[accesses.length];
        for (int i = 0; i < accesses.length; i++) {
            Access a = accesses[i];
            if (a.mode == Mode.RESULT) {
                continue;
            }
            // A re-run of a lost version's producer (Lineage) never updates what it reads: others may need it as it is.
            boolean copy = a.mode == Mode.UPDATE && (a.read.unfinishedReaders > 0 || task.rerunOf != null);
            if (a.handle.kind == DataHandle.Kind.OBJECT) {
                bindings[i] = Binding.object(a.read.value, copy, a.write != null);
            } else {
                DataState s = a.handle.state;
                if (a.read != null && a.read.value instanceof Kept kept) {
                    // Kept in a worker's own directory: where the task gets it is the file staging's to say.
                    bindings[i] = new Binding(Binding.Kind.FILE, kept, copy, (String) a.handle.home(), true);
                    continue;
                }
                String source = a.read == null ? null : (String) a.read.value;
                String target = switch (a.mode) {
                    case READ, CONCURRENT, COMMUTATIVE -> source;
                    case UPDATE -> copy ? temporary(a.handle, s, a.write) : source;
                    default -> s.unfinished == 1 && task.rerunOf == null ? (String) a.handle.home()
                            : temporary(a.handle, s, a.write);
                };
                bindings[i] = Binding.file(source, target, copy, a.write != null);
            }
        }
        return bindings;
    }

    /** A new temporary file name for the version a task writes of a file (a checkpointed output put back there). */
    String temporaryFor(Access a) {
        return temporary(a.handle, a.handle.state, a.write);
    }

    private static String temporary(DataHandle handle, DataState state, Version version) {
        Path home = Path.of((String) handle.home());
        String name = ".weft-" + home.getFileName() + "-" + handle.id + "v" + version.number;
        String temp = home.resolveSibling(name).toString();
        if (state.temporaries == null) {
            state.temporaries = new ArrayList<>(2);
        }
        state.temporaries.add(temp);
        return temp;
    }

    /**
     * Records the end of a task: its written versions get their values (or its failure), its successors may
     * become ready, and data it was the last to use are consolidated.
     *
     * @param used for each access, the object or path holding what the task produced ({@code null} entries for
     *     reads are fine)
     * @param result the returned value, for the result access
     * @param failure the task's failure, or {@code null}
     */
    void complete(TaskNode task, Object[] used, Object result, TaskFailure failure) {
        complete(task, used, result, failure, false);
    }

    /**
     * Records that a task was skipped without running (its group failed): data it would have updated keep the
     * version it would have read, as in a sequential run stopped by the group's exception; what it alone would
     * have produced — its result, a file it would have written — fails with {@code failure}.
     */
    void skip(TaskNode task, TaskFailure failure) {
        complete(task, null, null, failure, true);
    }

    /**
     * Records that a task failed and its failure is ignored ({@code IGNORE}): as {@link #skip}, but data it updated
     * take what the failed attempt reports it used — the data as they were, put back in place or copied afresh —
     * so that its successors never share an object or file with tasks still reading the version it read.
     */
    void ignore(TaskNode task, Object[] used, TaskFailure failure) {
        complete(task, used, null, failure, true);
    }

    private void complete(TaskNode task, Object[] used, Object result, TaskFailure failure, boolean skipped) {
        task.finished = true;
        for (int i = 0; i < task.accesses.length; i++) {
            Access a = task.accesses[i];
            Version w = a.write;
            if (w != null) {
                boolean unchanged = skipped && a.read != null;
                Object before = w.value;
                // What holds the written version: the object or file the task used, else what it read (in place).
                Object produced = used != null && used[i] != null ? used[i] : a.read == null ? null : a.read.value;
                if (failure != null && !unchanged) {
                    if (w.failure == null) {
                        w.failure = failure;
                    }
                    if (a.mode != Mode.RESULT && a.read != null) {
                        w.value = produced; // what it updated, as it was before the attempt (put back, or copied)
                    } else if (produced instanceof Kept k && a.mode != Mode.RESULT) {
                        a.handle.state.keptRemotely(k); // a file it was writing anew: not a version; forgotten later
                    }
                } else if (unchanged) {
                    w.value = used != null && used[i] != null ? used[i] : a.read.value;
                } else if (a.mode == Mode.RESULT) {
                    w.value = consolidator.resultValue(a.handle, result);
                } else if (w.value == null || a.mode == Mode.UPDATE || a.mode == Mode.WRITE
                        || produced instanceof RemoteFile) {
                    // A file kept in a worker's directory is updated there, not in one shared place: each member
                    // of a commutative run leaves its own, which the next one starts from.
                    w.value = produced;
                }
                if (failure == null && !skipped && task.node != null) {
                    w.location = task.node.index;
                }
                // Lineage: a version only a worker keeps can be made again by re-running its one producer.
                w.madeBy = failure == null && !skipped && w.value instanceof Kept && a.mode != Mode.CONCURRENT
                        && a.mode != Mode.COMMUTATIVE ? task : null;
                if (w.value instanceof String path && failure == null) {
                    a.handle.state.holds(path, w);
                }
                if (w.value != before) {
                    w.copies = null; // copies of what it held before (a commutative run's earlier member's file)
                }
                if (w.value instanceof Kept k) {
                    a.handle.state.keptRemotely(k);
                }
                if ((failure != null || skipped || task.tainted) && w.hash != null) {
                    // Not what the checkpoint identity assumed: tasks that read it are not saved or replayed.
                    w.hash = null;
                    if (w.hashRef != null) {
                        w.hashRef[0] = null;
                    }
                }
                w.producers.remove(task);
            }
            if (a.mode == Mode.READ) {
                a.read.unfinishedReaders--;
            }
            if (a.mode == Mode.COMMUTATIVE) {
                w.mutexHeld = false;
                if (w.mutexWaiters != null && !w.mutexWaiters.isEmpty()) {
                    becomeReady(w.mutexWaiters.poll());
                }
            }
        }
        if (task.successors != null) {
            for (TaskNode s : task.successors) {
                if (failure != null && s.doomedBy == null) {
                    // Only a successor that reads a failed version is doomed; one that merely waited for this task
                    // as an earlier reader (in-place updates after reads) is not.
                    s.doomedBy = failedInput(s);
                }
                if (--s.waitingOn == 0) {
                    becomeReady(s);
                }
            }
            task.successors = null;
        }
        for (Access a : task.accesses) {
            DataState s = a.handle.state;
            if (--s.unfinished == 0) {
                quiet(a.handle, s);
            }
        }
    }

    /**
     * Counts a re-run ({@link Lineage}) as an unfinished user of the datum of {@code a}, as {@link #register} counts a
     * task, so that the versions it reads stay where they are kept until {@link #unused}. Returns whether it was
     * counted: not for a datum with no state (the re-run reads bytes the master kept), nor one retiring.
     */
    boolean use(Access a) {
        DataState s = a.handle.state;
        if (s == null || !a.handle.tryAcquire()) {
            return false;
        }
        s.unfinished++;
        a.uses = s;
        return true;
    }

    /** The re-run of {@code a} ended: the use {@link #use} counted ends; the datum goes quiet if it was the last. */
    void unused(Access a) {
        DataState s = a.uses;
        a.uses = null;
        if (--s.unfinished == 0) {
            quiet(a.handle, s);
        }
    }

    private static TaskFailure failedInput(TaskNode task) {
        for (Access a : task.accesses) {
            TaskFailure doom = a.read == null ? null : a.read.doomsReaders();
            if (doom != null) {
                return doom;
            }
        }
        return null;
    }

    private void quiet(DataHandle handle, DataState s) {
        s.closeGroup();
        Version latest = s.current;
        // A version a failed task wrote holds what the attempt left, which its executor put back as it was before
        // the attempt: that goes home like any other latest version, and the failure stays with the datum.
        boolean hasValue = latest.failure == null || latest.value != null;
        if (hasValue && (latest.value instanceof Encoded
                || latest.value instanceof Kept k && !(k instanceof RemoteFile f && f.bytes() < 0))) {
            stayAway(handle, s, latest);
            if (latest.failure != null) {
                handle.failure = latest.failure;
                s.current.failure = latest.failure;
            }
            return;
        }
        handle.failure = latest.failure;
        if (hasValue && latest.value != handle.home()) {
            moveHome(handle, latest.value);
        }
        settle(handle, s, latest, false);
    }

    private void moveHome(DataHandle handle, Object value) {
        try {
            consolidator.consolidate(handle, value);
        } catch (RuntimeException e) {
            handle.failure = consolidator.failed(handle, e);
        }
    }

    /**
     * The datum's home holds its latest version (or its failure): forget its history and what workers keep.
     *
     * @param lost whether the latest version could not be brought home: the home does not hold it
     */
    private void settle(DataHandle handle, DataState s, Version latest, boolean lost) {
        handle.holdStrongly(); // the program touched it, or no task ever let it go
        if (s.remote != null) {
            for (Kept r : s.remote) {
                consolidator.forget(r);
            }
            s.remote = null;
        }
        if (s.temporaries != null) {
            for (String t : s.temporaries) {
                // The latest version stays if it could not be moved home: the failure names where it is.
                if (!t.equals(latest.value)) {
                    consolidator.discard(t);
                }
            }
            s.temporaries = null;
        }
        // Only the home holds the datum now: forget its history.
        // A task result that was never produced stays unusable (no value); anything else is its home now.
        boolean neverProduced = latest.failure != null && latest.value == null && handle.kind == DataHandle.Kind.OBJECT;
        // The program may change its object or file from now on: versions made before no longer describe it.
        s.epoch = ++handle.epochs;
        s.byPath = null;
        s.current = new Version(1, neverProduced || lost ? null : handle.home());
        s.current.epoch = s.epoch;
        if (s.current.value instanceof String path) {
            s.holds(path, s.current);
        }
        s.current.failure = handle.failure;
        s.lastNumber = 1;
        quieted.add(handle);
        if (handle.away) {
            handle.away = false;
            consolidator.cameHome(handle);
        }
    }

    /**
     * No task uses the datum, and a worker keeps its latest version (or the master holds it still serialised): it
     * stays so until the program asks for it.
     * Older versions, their copies and temporary files are of no use any more.
     */
    private void stayAway(DataHandle handle, DataState s, Version latest) {
        handle.failure = null;
        // The same version, its history dropped: a re-run of its producer (Lineage) writes into this object.
        Version kept = latest;
        kept.readers = null;
        kept.base = null;
        if (s.remote != null) {
            ArrayList<Kept> still = new ArrayList<>(2);
            for (Kept r : s.remote) {
                if (r == latest.value || latest.copies != null && latest.copies.contains(r)) {
                    still.add(r);
                } else {
                    consolidator.forget(r);
                }
            }
            s.remote = still;
        }
        if (s.temporaries != null) {
            for (String t : s.temporaries) {
                consolidator.discard(t);
            }
            s.temporaries = null;
        }
        s.current = kept;
        if (!handle.away) {
            handle.away = true;
            handle.holdWeakly();
            consolidator.wentAway(handle);
        } else if (handle.home() == null) {
            // Dropped by the program while a task used it again (the collector's notice came too early to act).
            dropped(handle);
            return;
        }
        // After away is set: a thread that began to wait before it is seen here, one that begins after sees it.
        if (handle.homeWanted || handle.waiting) {
            startMove(handle, s);
        }
    }

    private void startMove(DataHandle handle, DataState s) {
        handle.homeWanted = true;
        if (handle.moving == null) {
            handle.moving = s.current;
            consolidator.bringHome(handle, s.current);
        }
    }

    /** The program asked for a datum: if its latest version is away and no task uses it, it starts moving home. */
    void wantHome(DataHandle handle) {
        if (handle.home() == null) {
            dropped(handle); // a barrier found it before the collector's notice: nobody can read it
            return;
        }
        handle.homeWanted = true;
        DataState s = handle.state;
        if (handle.away && s != null && s.unfinished == 0) {
            startMove(handle, s);
        }
    }

    /**
     * A version started by {@link Consolidator#bringHome} arrived: its value is moved into the home, unless a task
     * took the datum up meanwhile (the value is then dropped, and the datum moved home when it is quiet again).
     *
     * @param value the fetched object, or the path of the fetched file beside the program's; {@code null} on error
     * @param error why it could not be fetched, or {@code null}
     */
    void arrived(DataHandle handle, Version version, Object value, RuntimeException error) {
        if (handle.moving == version) {
            handle.moving = null;
        }
        DataState s = handle.state;
        if (s == null || s.unfinished > 0 || s.current != version) {
            if (value instanceof String temporary) {
                consolidator.discard(temporary);
            }
            if (s != null && s.unfinished == 0 && handle.away) {
                startMove(handle, s);
            }
            return;
        }
        if (!handle.holdStrongly()) { // held from here on: the object cannot go while it is filled
            dropped(handle);
            return;
        }
        if (error != null) {
            // The only copy is out of reach: the datum is lost, and its readers fail from now on.
            handle.failure = consolidator.failed(handle, error);
            settle(handle, s, version, true);
            return;
        }
        moveHome(handle, value);
        settle(handle, s, version, false);
    }

    /** The value to record for a task's result ({@link Consolidator#resultValue}). */
    Object resultValue(DataHandle handle, Object result) {
        return consolidator.resultValue(handle, result);
    }

    /** Lets the worker that keeps a version no datum records drop it. */
    void forget(Kept value) {
        consolidator.forget(value);
    }

    /**
     * A version that could not be brought home (its worker was lost) was made again: its move starts again if it is
     * still the datum's latest and no task uses it.
     */
    void moveAgain(DataHandle handle, Version version) {
        DataState s = handle.state;
        if (handle.moving == version) {
            handle.moving = null;
        }
        if (s != null && s.current == version && s.unfinished == 0 && handle.away) {
            startMove(handle, s);
        }
    }

    /**
     * The program dropped the object of a datum whose latest version is away: nobody can read that version any
     * more, so it is forgotten where it lies (never moved), and the handle retires. Nothing happens if a task uses
     * the datum again or it is on its way home (the program still had it then).
     */
    void dropped(DataHandle handle) {
        DataState s = handle.state;
        if (!handle.away || s == null || s.unfinished > 0 || handle.moving != null || handle.home() != null) {
            return;
        }
        if (s.remote != null) {
            for (Kept r : s.remote) {
                consolidator.forget(r);
            }
            s.remote = null;
        }
        s.epoch = ++handle.epochs;
        s.byPath = null;
        s.current = new Version(1, null);
        s.current.epoch = s.epoch;
        handle.away = false;
        consolidator.dropped(handle);
    }
}
