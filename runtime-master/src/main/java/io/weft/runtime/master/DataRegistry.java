package io.weft.runtime.master;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finds the handle of an object (by identity) or a file (by normalised absolute path). Thread-safe; holds only
 * data that pending tasks use, and data whose latest version a worker process keeps until the program asks for it.
 *
 * <p>Objects are registered under weak keys, so the registry never keeps a program's object alive: while a task
 * uses it, its handle does; while its latest version is away, only the program does (see
 * {@link DataHandle#holdWeakly}). When the program drops such an object, {@link #dropped} hands its handle over, and
 * the version is forgotten where it lies.
 */
final class DataRegistry {
    private final ConcurrentHashMap<Object, DataHandle> handles = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final java.lang.ref.ReferenceQueue<Object> collected = new java.lang.ref.ReferenceQueue<>();

    /** An object's key: equal to another key for the same object, by identity (never the object's equals). */
    private interface ObjectKey {
        Object object();
    }

    /** The key a lookup uses: the program's object, held while it looks. */
    private record Identity(Object object) implements ObjectKey {
        @Override
        public boolean equals(Object other) {
            return other instanceof ObjectKey k && k.object() == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    /** The key a handle is registered under: the object held weakly, its identity hash kept. */
    private static final class WeakIdentity extends java.lang.ref.WeakReference<Object> implements ObjectKey {
        private final int hash;

        WeakIdentity(Object object, java.lang.ref.ReferenceQueue<Object> queue) {
            super(object, queue);
            this.hash = System.identityHashCode(object);
        }

        @Override
        public Object object() {
            return get();
        }

        @Override
        public boolean equals(Object other) {
            if (other == this) {
                return true;
            }
            Object mine = get();
            return mine != null && other instanceof ObjectKey k && k.object() == mine;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A file's identity: its absolute path with symbolic links resolved (for a file that does not exist yet, its
     * directory's), so that two names of one file are one datum.
     */
    static String normalise(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            if (Files.exists(absolute)) {
                return absolute.toRealPath().toString();
            }
            Path parent = absolute.getParent();
            if (parent != null && Files.isDirectory(parent)) {
                return parent.toRealPath().resolve(absolute.getFileName()).toString();
            }
        } catch (IOException e) {
            // Unreadable: fall back to the lexical path.
        }
        return absolute.toString();
    }

    /** The handle of {@code object}, counted as used once more; created if the object has none. */
    DataHandle acquireObject(Object object) {
        facts(object).hadTaskData.set(true); // before the handle is published
        return acquire(new Identity(object), DataHandle.Kind.OBJECT, object);
    }

    /**
     * What the runtime needs to know of a class to tell whether a use of one of its objects may wait, looked up
     * once per class: every access of the main program to an object asks while tasks are pending, and objects of
     * the other classes (the program's own bookkeeping, say) are told apart with one lookup by class, without
     * hashing the object (nor testing it against the {@code Path} interface, which costs more than the lookup).
     */
    static final class ClassFacts {
        /** Whether its objects name files: {@code java.nio.file.Path} or {@code java.io.File}. */
        final boolean namesFile;
        /** Whether an object of it was ever task data in this run. */
        final java.util.concurrent.atomic.AtomicBoolean hadTaskData = new java.util.concurrent.atomic.AtomicBoolean();

        ClassFacts(boolean namesFile) {
            this.namesFile = namesFile;
        }
    }

    private static final ClassValue<ClassFacts> FACTS = new ClassValue<>() {
        @Override
        protected ClassFacts computeValue(Class<?> type) {
            return new ClassFacts(Path.class.isAssignableFrom(type) || File.class.isAssignableFrom(type));
        }
    };

    /**
     * Whether no object of {@code type} is task data nor names a file: a use of one never waits, until a task call
     * registers one ({@link #acquireObject}, on the calling thread, before the call is counted).
     */
    static boolean plain(Class<?> type) {
        ClassFacts facts = FACTS.get(type);
        return !facts.namesFile && !facts.hadTaskData.get();
    }

    /** The facts of {@code object}'s class. */
    static ClassFacts facts(Object object) {
        return FACTS.get(object.getClass());
    }

    /**
     * Waits for the next object the program dropped while the registry knew it, and returns its handle, if it is
     * still registered (an away datum's, typically); {@code null} for a key already forgotten.
     */
    DataHandle dropped() throws InterruptedException {
        java.lang.ref.Reference<?> key = collected.remove();
        return handles.get(key);
    }

    /** As {@link #dropped}, without waiting: {@code null} if the collector has reported no dropped object. */
    DataHandle droppedNow() {
        java.lang.ref.Reference<?> key = collected.poll();
        return key == null ? null : handles.get(key);
    }

    /** The handle of the file at {@code path} (normalised), counted as used once more. */
    DataHandle acquireFile(String path) {
        return acquire(path, DataHandle.Kind.FILE, path);
    }

    private DataHandle acquire(Object key, DataHandle.Kind kind, Object home) {
        while (true) {
            DataHandle h = handles.get(key);
            if (h == null) {
                DataHandle created = new DataHandle(ids.incrementAndGet(), kind, home);
                created.key = kind == DataHandle.Kind.OBJECT ? new WeakIdentity(home, collected) : key;
                if (handles.putIfAbsent(created.key, created) == null) {
                    return created;
                }
            } else if (h.tryAcquire()) {
                return h;
            } else {
                handles.remove(key, h);
            }
        }
    }

    /** The live handle of {@code object}, or {@code null}. */
    DataHandle findObject(Object object) {
        return findObject(object, facts(object));
    }

    /** As {@link #findObject(Object)}, given the facts of its class. */
    DataHandle findObject(Object object, ClassFacts facts) {
        if (!facts.hadTaskData.get()) {
            return null;
        }
        return handles.get(new Identity(object));
    }

    /** The live handle of a file, or {@code null}. */
    DataHandle findFile(String normalisedPath) {
        return handles.get(normalisedPath);
    }

    /** The live handles of files inside the directory {@code normalisedDirectory}, at any depth. */
    List<DataHandle> filesUnder(String normalisedDirectory) {
        String prefix = normalisedDirectory.endsWith(File.separator) ? normalisedDirectory
                : normalisedDirectory + File.separator;
        List<DataHandle> found = new ArrayList<>();
        for (Map.Entry<Object, DataHandle> e : handles.entrySet()) {
            if (e.getKey() instanceof String path && path.startsWith(prefix)) {
                found.add(e.getValue());
            }
        }
        return found;
    }

    /** The live handles of data whose latest version a worker keeps: every one, or only files. */
    List<DataHandle> away(boolean filesOnly) {
        List<DataHandle> found = new ArrayList<>();
        for (DataHandle h : handles.values()) {
            if (h.away && (!filesOnly || h.kind == DataHandle.Kind.FILE)) {
                found.add(h);
            }
        }
        return found;
    }

    /** Forgets a retired handle. */
    void remove(DataHandle handle) {
        if (handle.key != null) {
            handles.remove(handle.key, handle);
        }
    }

    int size() {
        return handles.size();
    }
}
