package io.weft.runtime.worker.executor;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.objects.ObjectStates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * What an attempt updates in place, as it was before the attempt: a deep copy of each object and a copy of each
 * file it updates without a private copy of its own. If the attempt fails, {@link #restore()} puts the state back
 * into the same objects (so every reference to them sees it) and the same files; if it succeeds,
 * {@link #discard()} drops the copies. A retry, and every task that reads the data after a failure, then sees the
 * data as it was before the failed attempt.
 *
 * <p>Used by the executor that runs the attempt; the copies of files lie beside them, named
 * {@code .weft-restore-<name>-<n>}. Not thread-safe.
 */
final class Snapshot {
    private static final Snapshot NONE = new Snapshot(List.of(), List.of(), List.of(), List.of(), null, null, null);

    /**
     * Buffers of saved states an executor reuses from one attempt to the next (see {@link ObjectStates.Saved}), up
     * to a few, and none larger than {@link #RECYCLED_BYTES}: a task that updates the same kind of object again and
     * again then allocates nothing to keep its state. One per executor thread.
     */
    static final class Recycled {
        static final long RECYCLED_BYTES = 32L << 20;
        private final java.util.ArrayDeque<ObjectStates.Saved> free = new java.util.ArrayDeque<>(4);

        ObjectStates.Saved take() {
            return free.poll();
        }

        void give(ObjectStates.Saved saved) {
            saved.release();
            if (free.size() < 4 && saved.bytes() <= RECYCLED_BYTES && !free.contains(saved)) {
                free.push(saved);
            }
        }
    }
    private static final java.util.concurrent.atomic.AtomicLong NAMES = new java.util.concurrent.atomic.AtomicLong();

    private final List<Object> objects;
    private final List<Object> copies;
    private final List<Path> files;
    /** Per file, its copy, or {@code null} if it did not exist before the attempt (restored by deleting it). */
    private final List<Path> fileCopies;
    /** The attempt's bindings and what it used for each: private copies are made afresh if it fails. */
    private final Binding[] bindings;
    private final Object[] used;
    /** Where the saved states of flat objects (in {@link #copies}) go back once done with, or {@code null}. */
    private final Recycled recycled;

    private Snapshot(List<Object> objects, List<Object> copies, List<Path> files, List<Path> fileCopies,
            Binding[] bindings, Object[] used, Recycled recycled) {
        this.objects = objects;
        this.copies = copies;
        this.files = files;
        this.fileCopies = fileCopies;
        this.bindings = bindings;
        this.used = used;
        this.recycled = recycled;
    }

    /**
     * Copies what the attempt will update in place.
     *
     * A datum the attempt updates on a private copy (another task still reads the version it read) needs no copy
     * kept: if the attempt fails, its private copy is made again from that version, so that what the failed
     * attempt reports as its outputs is the data as it was.
     *
     * @param bindings the attempt's data
     * @param handed what the task is given for each binding: the object itself, or the file's path
     * @param used what the attempt reports it used for each binding; private copies in it are replaced if it fails
     * @throws IllegalStateException if an object cannot be copied or a file cannot be read, naming it
     */
    static Snapshot take(Binding[] bindings, Object[] handed, Object[] used) {
        return take(bindings, handed, used, null);
    }

    /**
     * As {@link #take(Binding[], Object[], Object[])}; a flat object's state (a primitive array, or an object of
     * primitives and primitive arrays) is kept in buffers from {@code recycled}, if given, and given back to it.
     */
    static Snapshot take(Binding[] bindings, Object[] handed, Object[] used, Recycled recycled) {
        List<Object> objects = null;
        List<Object> copies = null;
        List<Path> files = null;
        List<Path> fileCopies = null;
        try {
            for (int i = 0; i < bindings.length; i++) {
                Binding b = bindings[i];
                if (b == null || !b.written() || b.copy() || handed[i] == null) {
                    continue; // not written, or written on a private copy: the version it read is untouched
                }
                if (b.kind() == Binding.Kind.OBJECT) {
                    for (Object o : inPlace(handed[i])) {
                        if (objects == null) {
                            objects = new ArrayList<>(2);
                            copies = new ArrayList<>(2);
                        }
                        ObjectStates.Saved saved = ObjectStates.save(o, recycled == null ? null : recycled.take());
                        copies.add(saved != null ? saved : copyOf(o));
                        objects.add(o);
                    }
                } else if (b.source() != null && b.source().equals(b.target())) {
                    Path file = Path.of(b.target());
                    if (files == null) {
                        files = new ArrayList<>(2);
                        fileCopies = new ArrayList<>(2);
                    }
                    Path copy = null;
                    if (Files.exists(file)) {
                        copy = file.resolveSibling(".weft-restore-" + file.getFileName() + "-"
                                + NAMES.incrementAndGet());
                        Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                    files.add(file);
                    fileCopies.add(copy);
                }
            }
        } catch (IOException e) {
            new Snapshot(orEmpty(objects), orEmpty(copies), orEmpty(files), orEmpty(fileCopies), null, null, recycled)
                    .discard();
            throw new UncheckedIOException("cannot keep a copy to put back should the task fail: " + e, e);
        }
        boolean privateCopies = false;
        for (Binding b : bindings) {
            privateCopies |= b != null && b.written() && b.copy();
        }
        if (objects == null && files == null && !privateCopies) {
            return NONE;
        }
        return new Snapshot(orEmpty(objects), orEmpty(copies), orEmpty(files), orEmpty(fileCopies),
                privateCopies ? bindings : null, used, recycled);
    }

    /**
     * The objects whose state a task given {@code o} can change in place, and that can be put back: {@code o}
     * itself (an array, or an object {@link ObjectStates#transfer} takes), or for a record, whose fields are final,
     * its components that are (one level down); none for an immutable value.
     */
    private static List<Object> inPlace(Object o) {
        Class<?> type = o.getClass();
        if (type.isArray() || ObjectStates.canTransfer(type)) {
            return List.of(o);
        }
        if (!type.isRecord()) {
            return List.of();
        }
        List<Object> parts = new ArrayList<>(2);
        for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
            try {
                java.lang.reflect.Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                Object part = accessor.invoke(o);
                if (part != null && (part.getClass().isArray() || ObjectStates.canTransfer(part.getClass()))) {
                    parts.add(part);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot keep a copy of the " + type.getTypeName() + " component "
                        + c.getName() + " to put back should the task fail (" + e + ")", e);
            }
        }
        return parts;
    }

    private static Object copyOf(Object o) {
        try {
            return ObjectStates.deepCopy(o);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot keep a copy of its " + o.getClass().getTypeName() + " to put"
                    + " back should the task fail (" + e.getMessage() + "); declare the task"
                    + " @Task(onFailure = OnFailure.FAIL) to run it without one", e);
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** Whether there is anything to put back. */
    boolean isEmpty() {
        return objects.isEmpty() && files.isEmpty() && bindings == null;
    }

    /**
     * Puts every object and file back as it was before the attempt.
     *
     * @return what could not be put back, one line each (empty when all was)
     */
    List<String> restore() {
        List<String> problems = new ArrayList<>(0);
        for (int i = 0; i < objects.size(); i++) {
            try {
                if (copies.get(i) instanceof ObjectStates.Saved saved) {
                    saved.restore(); // into the same object and the same arrays
                    if (recycled != null) {
                        recycled.give(saved);
                    }
                } else {
                    ObjectStates.transfer(copies.get(i), objects.get(i));
                }
            } catch (RuntimeException e) {
                problems.add("its " + objects.get(i).getClass().getTypeName() + " could not be put back: " + e);
            }
        }
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            Path copy = fileCopies.get(i);
            try {
                if (copy == null) {
                    Files.deleteIfExists(file);
                } else {
                    Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException e) {
                problems.add(file + " could not be put back" + (copy == null ? "" : " from " + copy) + ": " + e);
            }
        }
        if (bindings != null) {
            for (int i = 0; i < bindings.length; i++) {
                Binding b = bindings[i];
                if (b == null || !b.written() || !b.copy()) {
                    continue;
                }
                try {
                    if (b.kind() == Binding.Kind.OBJECT) {
                        used[i] = ObjectStates.deepCopy(b.source()); // the failed attempt's copy is dropped
                    } else if (b.source() != null && Files.exists(Path.of((String) b.source()))) {
                        Files.copy(Path.of((String) b.source()), Path.of(b.target()), StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.deleteIfExists(Path.of(b.target()));
                    }
                } catch (IOException | RuntimeException e) {
                    problems.add("its private copy of " + (b.kind() == Binding.Kind.OBJECT
                            ? "a " + b.source().getClass().getTypeName() : b.target()) + " could not be made again: " + e);
                }
            }
        }
        return problems;
    }

    /** Drops the copies: the attempt succeeded (or they were put back). */
    void discard() {
        for (Object c : copies) {
            if (c instanceof ObjectStates.Saved saved && recycled != null) {
                recycled.give(saved);
            }
        }
        for (Path copy : fileCopies) {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                } catch (IOException e) {
                    // a leftover copy beside the file; nothing depends on it
                }
            }
        }
    }
}
