package io.weft.runtime.worker.endpoint;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.WireConnection;
import io.weft.wire.transfer.Chunks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's object store: the objects the master puts here ahead of the tasks that take them, and the versions
 * tasks made that were too large to go back inline, kept under their keys until the master says no one needs them.
 * Kept versions stay in memory while their serialised sizes fit the budget; beyond it they are written, already
 * serialised, to the run's working directory.
 *
 * <p>Threading: thread-safe (concurrent maps). The intake ({@link IntakeTurn}) stores what the master put and reads
 * what tasks use; executor threads keep what tasks made; serving threads send what peers fetch; the event loop
 * drops what the master forgets.
 */
final class ObjectStore {
    private final String node;
    private final Path spillDirectory;
    private final long budget;
    private final Map<Long, Object> store = new ConcurrentHashMap<>();
    /** Serialised sizes of the kept versions held in memory, and their sum. */
    private final Map<Long, Integer> inMemory = new ConcurrentHashMap<>();
    private final AtomicLong inMemoryBytes = new AtomicLong();

    /** An object that could not be stored: the task that takes it fails with this reason. */
    private record Unusable(String why) {}

    /** A kept version written to the working directory, in its serialised form, because memory was over budget. */
    private record Spilled(Path file) {}

    /** Stands for {@code null} kept under a key: a task sent ahead of the attempt that wrote it reads it. */
    private enum Nothing { NULL }

    /**
     * @param node the node this worker serves, for messages
     * @param spillDirectory where kept versions go once {@code budget} is reached, or {@code null} to keep
     *     everything in memory
     * @param budget how many serialised bytes of kept versions may stay in memory
     */
    ObjectStore(String node, Path spillDirectory, long budget) {
        this.node = node;
        this.spillDirectory = spillDirectory;
        this.budget = budget;
    }

    /**
     * Stores an object the master put here, deserialised; one that does not deserialise here fails the task that
     * takes it, saying why. The intake's turn.
     */
    void putReceived(long key, byte[] bytes) {
        Object value;
        try {
            value = PayloadCodec.deserialize(bytes);
        } catch (RuntimeException e) {
            value = new Unusable(e.getMessage());
        }
        store.put(key, value);
    }

    /** Whether a version is kept under {@code key}. */
    boolean holds(long key) {
        return store.containsKey(key);
    }

    /** A binding to the object kept under {@code key}, which stays kept; a copy if asked for and not read from disk. */
    Binding stored(long key, boolean copy, boolean written) {
        Object kept = store.get(key);
        // One read back from disk is already a private copy.
        return Binding.object(usable(kept, key), copy && !(kept instanceof Spilled), written);
    }

    /** A binding to the object put under {@code key} for one attempt, which takes it out of the store. */
    Binding taken(long key, boolean written) {
        return Binding.object(usable(store.remove(key), key), false, written);
    }

    /** Removes an object put for an attempt that did not start. */
    void discard(long key) {
        store.remove(key);
    }

    private Object usable(Object value, long key) {
        if (value == null) {
            throw new IllegalStateException("worker " + node + " holds no object under key " + key);
        }
        if (value == Nothing.NULL) {
            return null;
        }
        if (value instanceof Unusable u) {
            throw new IllegalStateException(u.why());
        }
        if (value instanceof Spilled s) {
            try {
                return PayloadCodec.deserialize(Files.readAllBytes(s.file())); // a fresh copy, read back from disk
            } catch (IOException e) {
                throw new UncheckedIOException("worker " + node + " cannot read back " + s.file(), e);
            }
        }
        return value;
    }

    /**
     * Keeps a version a task made: in memory while the kept versions' sizes stay within the budget, else written
     * to the working directory (serialised then, if it was not already). Executor threads.
     *
     * @param size its serialised size, or an estimate of it
     * @param bytes the version serialised, or {@code null} if it was not
     */
    void keep(long key, Object value, long size, byte[] bytes) {
        int counted = (int) Math.min(size, Integer.MAX_VALUE);
        if (spillDirectory != null && inMemoryBytes.get() + counted > budget) {
            Path file = spillDirectory.resolve("object-" + key + ".fory");
            try {
                // Readable by this user only, and new: a file that is there already is not this worker's.
                Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.write(file, bytes != null ? bytes : PayloadCodec.serialize(value, size));
                store.put(key, new Spilled(file));
                return;
            } catch (IOException e) {
                // A full disk: keep it in memory, over budget, rather than lose it.
            }
        }
        store.put(key, value);
        inMemory.put(key, counted);
        inMemoryBytes.addAndGet(counted);
    }

    /** Drops a kept version: the master says no one needs it any more. */
    /** Keeps {@code null} under {@code key}, for a task sent ahead that reads what an attempt left there. */
    void keepNull(long key) {
        store.put(key, Nothing.NULL);
    }

    void drop(long key) {
        Object value = store.remove(key);
        Integer size = inMemory.remove(key);
        if (size != null) {
            inMemoryBytes.addAndGet(-size);
        }
        if (value instanceof Spilled s) {
            try {
                Files.deleteIfExists(s.file());
            } catch (IOException e) {
                // The per-run directory is removed at the end anyway.
            }
        }
    }

    /** Whether the object kept under {@code key} is in memory and serialises to at most {@code bytes} (estimated). */
    boolean smallerThan(long key, int bytes) {
        Integer size = inMemory.get(key);
        return size != null && size <= bytes;
    }

    /** Sends the object kept under {@code key} in {@link Message.Data} chunks, or why not. Serving threads. */
    void serve(WireConnection to, long request, long key) {
        Object value = store.get(key);
        if (value instanceof Spilled s) {
            try {
                sendChunks(to, request, Files.readAllBytes(s.file())); // already serialised
            } catch (IOException e) {
                refuse(to, request, "worker " + node + " cannot read back " + s.file() + ": " + e.getMessage());
            }
            return;
        }
        if (value == Nothing.NULL) {
            sendChunks(to, request, PayloadCodec.serialize(null)); // a peer binds null, as a reader here would
            return;
        }
        if (value == null || value instanceof Unusable) {
            refuse(to, request, "worker " + node + " holds no object under key " + key
                    + (value == null ? "" : ": " + ((Unusable) value).why()));
            return;
        }
        byte[] bytes;
        try {
            Integer size = inMemory.get(key); // serialised or estimated when it was kept
            bytes = PayloadCodec.serialize(value, size == null ? 0 : size);
        } catch (RuntimeException e) {
            refuse(to, request, String.valueOf(e.getMessage()));
            return;
        }
        sendChunks(to, request, bytes);
    }

    private static void sendChunks(WireConnection to, long request, byte[] bytes) {
        Chunks.split(bytes, (chunk, last) -> to.send(new Message.Data(request, last, chunk, null)));
    }

    private static void refuse(WireConnection to, long request, String why) {
        to.send(new Message.Data(request, true, null, ErrorTexts.shorten(why)));
    }

    /** Kept versions: in memory (serialised bytes) and on disk (count); for tests and monitoring. */
    String summary() {
        long spilled = store.values().stream().filter(v -> v instanceof Spilled).count();
        return inMemory.size() + " in memory (" + inMemoryBytes.get() + " bytes), " + spilled + " spilled";
    }
}
