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
 */
final class DataRegistry {
    private final ConcurrentHashMap<Object, DataHandle> handles = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** Identity key for objects, so application {@code equals}/{@code hashCode} are never called. */
    private record Identity(Object object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
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
        return acquire(new Identity(object), DataHandle.Kind.OBJECT, object);
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
                if (handles.putIfAbsent(key, created) == null) {
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
        Object key = handle.kind == DataHandle.Kind.FILE ? handle.home : new Identity(handle.home);
        handles.remove(key, handle);
    }

    int size() {
        return handles.size();
    }
}
