package io.weft.runtime.worker.endpoint;

import io.weft.runtime.worker.Binding;
import io.weft.wire.Message.DataRef;
import io.weft.wire.WireConnection;
import io.weft.wire.transfer.FileTransfers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files a worker keeps for the run, by key, in a {@code files} directory of its own: those its tasks wrote, and
 * those it fetched from the worker (or the master) that kept them. Each lives at {@code files/KEY/NAME}, named as
 * the program named it. A file on its way in is kept as its future, so tasks that need it wait for the one transfer.
 *
 * <p>Threading: thread-safe (a concurrent map). The intake ({@link IntakeTurn}) binds and fetches files; executor
 * threads keep what tasks wrote; serving threads send what peers fetch; the event loop drops what the master
 * forgets.
 */
final class FileStore {
    private final String node;
    private final Path workDirectory;
    /** Files kept here for the run, by key: present once complete; on their way in until then. */
    private final Map<Long, CompletableFuture<Path>> files = new ConcurrentHashMap<>();
    private volatile Path filesDirectory;

    /**
     * @param node the node this worker serves, for messages
     * @param workDirectory the run's working directory, or {@code null} for a temporary one
     */
    FileStore(String node, Path workDirectory) {
        this.node = node;
        this.workDirectory = workDirectory;
    }

    /** The file kept under {@code key} (perhaps still on its way in), or {@code null}. */
    CompletableFuture<Path> get(long key) {
        return files.get(key);
    }

    /** The file kept under {@code key}, or a failure that says this worker keeps none. */
    CompletableFuture<Path> kept(long key) {
        CompletableFuture<Path> kept = files.get(key);
        return kept != null ? kept : CompletableFuture.failedFuture(new IllegalStateException(
                "worker " + node + " keeps no file under key " + key));
    }

    /** Keeps a file under {@code key} that is on its way in: it is there once {@code arriving} completes. */
    void arriving(long key, CompletableFuture<Path> arriving) {
        files.put(key, arriving);
    }

    /** Where the file of {@code key} named {@code name} goes in this worker's directory. */
    Path place(long key, String name) throws IOException {
        return filesDirectory().resolve(Long.toString(key)).resolve(name);
    }

    /**
     * A file kept in this worker's directory: read where it is; written in place, or into a copy (or a new file)
     * of its own under the output key, named as the program named it.
     *
     * @param input the kept file the task reads, or {@code null} for a new one
     */
    Binding staged(DataRef r, Path input) throws IOException {
        checkName(r.target());
        if (r.kind() != DataRef.FILE_NEW && (!r.written() || !r.copy())) {
            return Binding.file(input.toString(), input.toString(), false); // read, or updated in place
        }
        // A new file (or "no file", for a task that only reads one that does not exist), or a private copy.
        Path output = place(r.outputKey(), r.target());
        if (r.written()) {
            Files.createDirectories(output.getParent());
        }
        return Binding.file(input == null ? null : input.toString(), output.toString(), input != null);
    }

    /**
     * Keeps the file a task wrote under its output key; one updated in place is no longer the input's.
     *
     * @return its size, or {@code -1} if the task left no file (that is the version)
     */
    long keep(DataRef r, Path written) {
        if (r.kind() != DataRef.FILE_NEW && !r.copy()) {
            files.remove(r.key());
        }
        files.put(r.outputKey(), CompletableFuture.completedFuture(written));
        try {
            return Files.size(written);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Drops the file kept under {@code key}, once it is in: the master says no one needs it any more.
     *
     * @return whether a file was kept under it
     */
    boolean drop(long key) {
        CompletableFuture<Path> file = files.remove(key);
        if (file == null) {
            return false;
        }
        file.thenAccept(FileTransfers::delete);
        return true;
    }

    /** Streams the file kept under {@code key}, once it is in, or says why not. Serving threads. */
    void serve(WireConnection to, long request, long key) {
        CompletableFuture<Path> file = files.get(key);
        if (file == null) {
            FileTransfers.refuse(to, request, "worker " + node + " keeps no file under key " + key);
            return;
        }
        file.whenComplete((path, error) -> {
            if (error != null) {
                FileTransfers.refuse(to, request, ErrorTexts.shorten("worker " + node
                        + " could not get the file itself: " + error.getMessage()));
            } else {
                to.sendFile(request, path);
            }
        });
    }

    /** A kept file's name is a bare name: nothing the master sends may reach outside this worker's directory. */
    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
    }

    /** Where kept files go: a {@code files} directory in the run's working directory (made on first use). */
    private Path filesDirectory() throws IOException {
        Path dir = filesDirectory;
        if (dir == null) {
            synchronized (this) {
                dir = filesDirectory;
                if (dir == null) {
                    dir = workDirectory != null ? Files.createDirectories(workDirectory.resolve("files"))
                            : Files.createTempDirectory("weft-files-");
                    filesDirectory = dir;
                }
            }
        }
        return dir;
    }
}
