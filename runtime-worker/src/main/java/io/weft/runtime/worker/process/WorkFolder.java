package io.weft.runtime.worker.process;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder a worker works in for one run, {@code <--work-dir>/weft-<run id>}, made new and private (mode 700) in
 * a directory no one else can tamper with, and the folders it had to make
 * to get there (the node's folder inside a {@code WorkingDir}, say): {@link #remove} deletes the run's folder with
 * all it holds, then each of those folders that is empty, innermost first, so that a finished run leaves no empty
 * folder behind. A folder that was there before the worker, or that still holds something (another node's or
 * another run's folder), stays.
 *
 * @param run the run's folder
 * @param outermostMade the outermost folder made for it, or {@code null} if only the run's folder was made
 */
record WorkFolder(Path run, Path outermostMade) {
    /** Makes (and probes) the run's folder inside {@code base}; a failure is a start-up failure of the node. */
    static WorkFolder make(String node, Path base, String runId) {
        Path run = base.resolve("weft-" + runId).toAbsolutePath().normalize();
        Path outermost = null;
        for (Path p = run.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
            outermost = p;
        }
        IOException last = null;
        // Another worker of this host that ends may remove a parent folder it made while this one makes its own.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.createDirectories(run.getParent());
                requireSafe(node, run.getParent());
                // New, and only this user's: spilled versions are read back from it, so no one else may put files
                // there. One that exists already was made by someone else, who could have left anything in it.
                Files.createDirectory(run, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                Path probe = Files.createTempFile(run, "probe", ".tmp");
                Files.delete(probe);
                return new WorkFolder(run, outermost);
            } catch (FileAlreadyExistsException e) {
                throw new StartFailure(node, 4, "cannot use the working directory " + base + ": the run's folder "
                        + run + " exists already; a worker makes its own, new, and uses no folder someone else made");
            } catch (NoSuchFileException e) {
                last = e;
            } catch (IOException | RuntimeException e) {
                throw new StartFailure(node, 4, "cannot use the working directory " + base + ": " + e);
            }
        }
        throw new StartFailure(node, 4, "cannot use the working directory " + base + ": " + last);
    }

    /**
     * Refuses a working directory that others could tamper with: one of its folders, up to the root, that belongs
     * to someone other than this user or root, or that anyone may write to without the sticky bit ({@code /tmp}
     * has it). Whoever can write to a folder can rename what is in it, and put a folder of their own in its place.
     * Both the path as given and the one its links lead to are checked, and a link must belong to this user or root
     * too: a link someone else owns in a sticky folder could be pointed elsewhere at any moment.
     */
    static void requireSafe(String node, Path dir) throws IOException {
        Object me = myUid();
        Path given = dir.toAbsolutePath().normalize();
        for (Path chain : new Path[] {given, given.toRealPath()}) {
            for (Path p = chain; p != null; p = p.getParent()) {
                PosixFileAttributes a;
                try {
                    a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (UnsupportedOperationException e) {
                    return; // not a POSIX file system: nothing to check with
                }
                if (!ownedByMeOrRoot(p, a, me)) {
                    throw new StartFailure(node, 4, "refusing the working directory " + dir + ": " + p
                            + (a.isSymbolicLink() ? " is a link that" : "") + " belongs to " + a.owner().getName()
                            + ", who could replace the worker's files; choose a folder of your own");
                }
                if (!a.isSymbolicLink() && a.permissions().contains(PosixFilePermission.OTHERS_WRITE) && !sticky(p)) {
                    throw new StartFailure(node, 4, "refusing the working directory " + dir + ": anyone may write to "
                            + p + " (and it has no sticky bit), so others could replace the worker's files; choose a"
                            + " folder only you can write to");
                }
            }
        }
    }

    /** This process's user id, or its name where the system has no numeric ids to read. */
    private static Object myUid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return System.getProperty("user.name", "");
        }
    }

    private static boolean ownedByMeOrRoot(Path p, PosixFileAttributes a, Object me) {
        if (me instanceof Integer) {
            try {
                Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                return uid.equals(me) || uid.equals(0);
            } catch (IOException | RuntimeException e) {
                // Fall back on the names.
            }
        }
        String owner = a.owner().getName();
        return owner.equals(System.getProperty("user.name", "")) || owner.equals("root");
    }

    private static boolean sticky(Path p) {
        try {
            return (((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 01000) != 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Deletes the run's folder and what it holds, then the folders made for it that are now empty. */
    void remove() {
        try (Stream<Path> files = Files.walk(run)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Leftovers in a per-run folder are harmless; the folders above it then stay too.
        }
        if (outermostMade == null) {
            return;
        }
        for (Path p = run.getParent(); p != null && p.startsWith(outermostMade); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return; // still in use by others, or already removed by another worker
            } catch (IOException e) {
                return;
            }
        }
    }
}
