package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.VersionBytes;

import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * One version of a datum: who produces it, who reads it, and — once produced — its value (the object, or the
 * path of the file, that holds it). Owned by the analyser thread.
 *
 * <p>A version made by a run of concurrent or commutative accesses has several producers and a {@link #base}: the
 * version they all update in place.
 */
final class Version {
    final int number;
    /** The object or file path holding this version, once produced. */
    Object value;
    /** The index of the node that produced it, or {@code -1} if it is the program's own (or unknown). */
    int location = -1;
    /**
     * Copies of this version that workers fetched — a file into their own directories, an object into their
     * stores — one per node at most; tasks there use them rather than fetch again.
     */
    ArrayList<Kept> copies;
    /** Set if a producer failed; readers are then cancelled with this failure. */
    TaskFailure failure;
    /** Producers that have not finished. */
    final ArrayList<TaskNode> producers = new ArrayList<>(1);
    /** Readers, finished ones removed lazily; used to order in-place updates after earlier readers. */
    ArrayList<TaskNode> readers;
    int unfinishedReaders;
    /** For a concurrent or commutative run: the version it updates, and the kind of run. */
    Version base;
    Mode groupMode;
    /** For a commutative run: whether a member runs, and the ready members waiting for their turn. */
    boolean mutexHeld;
    ArrayDeque<TaskNode> mutexWaiters;

    /** Its identity for the checkpoint journal ({@link TaskIdentities}), or {@code null}. */
    byte[] hash;
    /**
     * The same identity as the datum's lineage remembers it for later uses (one element), or {@code null}: cleared,
     * with {@link #hash}, when the task that was to write this version did not (it failed, or was skipped).
     */
    byte[][] hashRef;

    // Lineage (see Lineage): how this version can be made again if the worker keeping it is lost.
    /**
     * The finished task whose attempt produced the value a worker keeps, or {@code null} (the master holds the
     * value, or a run of concurrent or commutative tasks built it): re-running it makes this version again.
     */
    TaskNode madeBy;
    /** Whether a task updated the value in place: it no longer holds this version. */
    boolean overwritten;
    /** The datum's epoch when this version was made ({@link DataHandle#epochs}): the program's home changes after. */
    int epoch;
    /** The re-run that makes this version again, while it is under way, or {@code null}. */
    TaskNode rerun;
    /** Why this version cannot be made again, once a re-run failed, or {@code null}. */
    TaskFailure unrecoverable;
    /**
     * For an object of the program's sent to a worker for tasks that read it, the bytes it was sent as; for an object
     * a worker kept, the bytes it came home as; else {@code null}. A re-run of a task that read this version is sent
     * these, as the program may have changed its object since. Kept as long as this version is: while it is current,
     * or a task that read it may be run again.
     */
    VersionBytes serialised;

    /**
     * The key under which the worker of node {@link #aheadNode}, running its producer, keeps it when that attempt
     * ends, even if it comes back inline: tasks sent ahead there read it ({@code Analyser}). 0 if none; forgotten
     * there once its producer ended and {@link #aheadReaders} is 0.
     */
    long aheadKey;
    int aheadNode = -1;
    /** How many attempts sent ahead read it under {@link #aheadKey} and have not ended. */
    int aheadReaders;

    /** Whether its value is the very object its worker keeps for tasks sent ahead (it did not come back inline). */
    boolean valueIsKeptAhead() {
        return value instanceof Kept k && k.node() == aheadNode && k.key() == aheadKey;
    }

    Version(int number, Object value) {
        this.number = number;
        this.value = value;
    }

    /**
     * The failure that dooms a task reading this version, or {@code null}. Once the program has been told of the
     * failure, a task it calls afterwards works on the datum as the failed task left it, as in a sequential run
     * that caught the exception; unless the failed task produced nothing at all.
     */
    TaskFailure doomsReaders() {
        return failure != null && !(failure.reported && value != null) ? failure : null;
    }

    /** The copy of this file version kept on a node, or {@code null}. */
    Kept copyOn(int node) {
        if (copies != null) {
            for (Kept c : copies) {
                if (c.node() == node) {
                    return c;
                }
            }
        }
        return null;
    }

    void addCopy(Kept copy) {
        if (copies == null) {
            copies = new ArrayList<>(2);
        }
        copies.add(copy);
    }

    void addReader(TaskNode reader) {
        if (readers == null) {
            readers = new ArrayList<>(4);
        } else if (readers.size() > 2 * unfinishedReaders + 16) {
            readers.removeIf(r -> r.finished);
        }
        readers.add(reader);
        unfinishedReaders++;
    }
}
