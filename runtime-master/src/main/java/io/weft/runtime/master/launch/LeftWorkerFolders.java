package io.weft.runtime.master.launch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The folders of local clusters ({@code workers=N}) that masters killed before their end left in the temporary
 * folder. A master removes its {@code weft-workers-<pid>-<random>} folder when it ends; one killed with SIGKILL
 * cannot, and its workers, which end with it, empty only their own folders inside.
 *
 * <p>A live master holds a lock on a file in its folder ({@link #LOCK}) for the whole run ({@link #holdAlive}); the
 * system lets go of it when the process ends, however it ends. A later master removes a tree only if the process it
 * is named for does not run here, it can take that lock (a master in another pid namespace sharing the folder holds
 * it), the tree is owned by the same user, holds nothing but folders and the lock file, and has been untouched for
 * {@link #QUIET}. A tree that holds anything else (what a task left there) stays whole. Folders without a lock file
 * (made by an older version) are left alone: nothing proves their master gone.
 */
final class LeftWorkerFolders {
    static final String PREFIX = "weft-workers-";
    /** The file a live master holds a lock on. */
    static final String LOCK = "master.lock";
    /** How long a tree must have been untouched: no master is still making it. */
    static final Duration QUIET = Duration.ofMinutes(10);

    private LeftWorkerFolders() {}

    /** The prefix of the name of this process's local-cluster folder, a random part follows: its pid. */
    static String prefix(long pid) {
        return PREFIX + pid + "-";
    }

    /**
     * Takes the lock that says this run's folder is in use, held until {@link Alive#close}: then the lock file is
     * deleted, and the folder can be.
     */
    static Alive holdAlive(Path folder) throws IOException {
        Path lock = folder.resolve(LOCK);
        FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileLock held = channel.tryLock();
            if (held == null) {
                throw new IOException("another process locked " + lock + " as it was made");
            }
            return new Alive(lock, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(lock);
            throw e;
        }
    }

    /** The lock of a live master's folder. */
    record Alive(Path lock, FileChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(lock); // while still held: no other run takes the folder for a left one meanwhile
            } catch (IOException e) {
                // The folder then stays; a later run removes it once the lock is free.
            } finally {
                release();
            }
        }

        /**
         * Lets go of the lock and keeps its file: for a folder the run could not empty, which a later run may then
         * remove as left ({@link #removeLeft}).
         */
        void release() {
            try {
                channel.close();
            } catch (IOException e) {
                // Closed or not, the lock goes with the process.
            }
        }
    }

    /**
     * Empties the folder of this run's local cluster at the run's end, once its workers have ended: what each
     * worker left in its folder (a worker killed during the run cannot remove its run's folder, which a worker
     * deletes whole, spilled versions and kept files with it, as it ends). Files and links are deleted, never
     * followed; the lock file ({@link #LOCK}) stays. Goes on past what it cannot delete.
     *
     * @return whether nothing but the lock file is left
     */
    static boolean emptyRunFolder(Path folder) {
        Path keep = folder.resolve(LOCK);
        boolean[] all = {true};
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (!file.equals(keep)) {
                        delete(file); // a link is deleted itself: the walk does not follow links
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    all[0] = false;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        all[0] = false;
                    }
                    if (!dir.equals(folder)) {
                        delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void delete(Path p) {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        all[0] = false;
                    }
                }
            });
        } catch (IOException e) {
            return false;
        }
        return all[0];
    }

    /**
     * Removes, in {@code parent}, the local-cluster folders that masters no longer running left.
     *
     * @param owner who must own a folder for it to be removed: the user this master runs as
     * @return the folders removed
     */
    static List<Path> removeLeft(Path parent, UserPrincipal owner, Instant now) {
        List<Path> removed = new ArrayList<>();
        // A plain prefix, not a glob: the temporary folder can hold thousands of entries, and a glob matches each
        // with a regular expression (whose compilation the start's compilers then spend their time on).
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, OURS)) {
            for (Path folder : folders) {
                if (namedForDeadProcess(folder.getFileName().toString()) && removeIfLeft(folder, owner,
                        FileTime.from(now.minus(QUIET)))) {
                    removed.add(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The temporary folder cannot be listed: nothing to tidy that this run could see.
        }
        return removed;
    }

    /** Whether the name is {@code weft-workers-<pid>-<digits>} for a process that does not run here. */
    static boolean namedForDeadProcess(String name) {
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || dash > 18 || !isDigits(rest.substring(0, dash)) || !isDigits(rest.substring(dash + 1))) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(rest.substring(0, dash)));
        return process.isEmpty() || !process.get().isAlive();
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The entries whose names start with {@link #PREFIX}. */
    private static final DirectoryStream.Filter<Path> OURS = new DirectoryStream.Filter<>() {
        @Override
        public boolean accept(Path entry) {
            Path name = entry.getFileName();
            return name != null && name.toString().startsWith(PREFIX);
        }
    };

    /** Removes {@code folder} if it is left: see the class comment. */
    private static boolean removeIfLeft(Path folder, UserPrincipal owner, FileTime quietSince) {
        Path lock = folder.resolve(LOCK);
        try {
            if (!left(folder, owner, quietSince)) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                FileLock held = channel.tryLock();
                if (held == null) {
                    return false; // its master runs, in a process this one cannot see
                }
                // Looked at again under the lock: nothing may have come in since.
                if (!left(folder, owner, quietSince)) {
                    return false;
                }
                Files.delete(lock);
            }
            return removeFolders(folder);
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }

    /**
     * Whether {@code folder} is a tree of folders owned by {@code owner}, with the lock file at its top and nothing
     * else, untouched since {@code quietSince}.
     */
    private static boolean left(Path folder, UserPrincipal owner, FileTime quietSince) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path lock = folder.resolve(LOCK);
        boolean[] ok = {true, false};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                return check(dir, a);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                if (!file.equals(lock) || !a.isRegularFile()) {
                    ok[0] = false; // a file or a link a task or a worker left
                    return FileVisitResult.TERMINATE;
                }
                ok[1] = true;
                return check(file, a);
            }

            private FileVisitResult check(Path p, BasicFileAttributes a) throws IOException {
                if (a.lastModifiedTime().compareTo(quietSince) > 0
                        || !owner.equals(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS))) {
                    ok[0] = false;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                ok[0] = false;
                return FileVisitResult.TERMINATE;
            }
        });
        return ok[0] && ok[1];
    }

    /**
     * Deletes a tree of empty folders, the deepest first; stops at anything that is not an empty folder (the folders
     * emptied before it are gone then).
     *
     * @return whether the whole tree is gone
     */
    private static boolean removeFolders(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                    throw new IOException("not a folder: " + file); // came in since: the tree stays
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IOException("not a folder: " + dir);
                    }
                    Files.delete(dir); // fails if not empty: then the tree stays
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
