package io.weft.runtime.master.launch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders of local clusters ({@code workers=N}) that masters killed before their end left in the temporary
 * folder. A master removes its {@code weft-workers-<pid>-<random>} folder when it ends; one killed with SIGKILL
 * cannot, and its workers, which end with it, empty only their own folders inside. A later master removes such
 * trees: named for a process that no longer runs, owned by the same user, holding nothing but empty folders, and
 * untouched for {@link #QUIET}. A tree that holds anything (what a task left there) is kept whole.
 *
 * <p>Folders named before the pid was part of the name ({@code weft-workers-<random>}) are removed under the same
 * conditions once untouched for {@link #QUIET_UNNAMED}: nothing tells whose they are.
 */
final class LeftWorkerFolders {
    static final String PREFIX = "weft-workers-";
    /** How long a dead master's tree must have been untouched: a live master in another pid namespace, say. */
    static final Duration QUIET = Duration.ofMinutes(10);
    /** The same, for a folder whose name does not say whose it is. */
    static final Duration QUIET_UNNAMED = Duration.ofDays(1);

    private LeftWorkerFolders() {}

    /** The prefix of the name of this process's local-cluster folder, a random part follows: its pid. */
    static String prefix(long pid) {
        return PREFIX + pid + "-";
    }

    /**
     * Removes, in {@code parent}, the local-cluster folders that masters no longer running left.
     *
     * @param owner who must own a folder for it to be removed: the user this master runs as
     * @return the folders removed
     */
    static List<Path> removeLeft(Path parent, UserPrincipal owner, Instant now) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path folder : folders) {
                Duration quiet = quietFor(folder.getFileName().toString());
                if (quiet != null && removable(folder, owner, now.minus(quiet)) && removeEmptyTree(folder)) {
                    removed.add(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The temporary folder cannot be listed: nothing to tidy that this run could see.
        }
        return removed;
    }

    /**
     * How long a folder of this name must be untouched to be removed; {@code null} if it is not a local-cluster
     * folder, or if its master still runs.
     */
    static Duration quietFor(String name) {
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash < 0) {
            return isDigits(rest) ? QUIET_UNNAMED : null;
        }
        String pid = rest.substring(0, dash);
        if (!isDigits(pid) || !isDigits(rest.substring(dash + 1)) || pid.length() > 18) {
            return null;
        }
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false) ? null : QUIET;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Whether {@code folder} is a tree of folders only, all owned by {@code owner} and untouched since {@code before}. */
    private static boolean removable(Path folder, UserPrincipal owner, Instant before) throws IOException {
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        FileTime limit = FileTime.from(before);
        boolean[] ok = {true};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) throws IOException {
                if (a.lastModifiedTime().compareTo(limit) > 0
                        || !owner.equals(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS))) {
                    ok[0] = false;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                ok[0] = false; // a file, a link: something a task or a worker left
                return FileVisitResult.TERMINATE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                ok[0] = false;
                return FileVisitResult.TERMINATE;
            }
        });
        return ok[0];
    }

    /** Deletes a tree of empty folders, the deepest first; stops at anything that appeared meanwhile. */
    private static boolean removeEmptyTree(Path folder) {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
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
