package io.weft.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A class-data sharing archive of what the program's JVM loads from the JDK and Weft's jars on its way through a
 * run ({@code weft run}): the agent, the runtime's start, the first tasks. The JVM then maps those classes rather
 * than reading and verifying them one by one while it still interprets: about 70 ms of a run's start on a 2-core
 * machine. Only a launcher can give it, as the option must be on the JVM's command line.
 *
 * <p>One archive per pair of Weft jars (their paths, sizes and times) and JVM (its home and build), in the user's
 * own folder under the temporary directory ({@code weft-class-cache-<user>}, mode 700, shared with the worker
 * processes' archives; a folder another user could write to is never used, since archived classes run in the
 * program). The first run without one records the classes it loads ({@code -XX:DumpLoadedClassList}); a small
 * background process waits for that run's JVM to end, then has another JVM write the archive from the list (a
 * static dump: JDK 17 makes no archive in a JVM with an agent) under a temporary name, and renames it when
 * complete. A later run maps it, with Weft's jars first on its class path, as the archive requires. A missing,
 * stale or unusable archive only costs that time: the JVM then loads the classes as usual, silently.
 */
final class MasterClassCache {
    /** How many master archives the folder keeps, the one about to be made included. */
    static final int KEPT = 4;
    /** A claim to make the archive older than this is taken for a run that was killed before it made it. */
    private static final long CLAIM_MILLIS = 3_600_000L;

    private final Path archive;
    private final List<String> jars;

    private MasterClassCache(Path archive, List<String> jars) {
        this.archive = archive;
        this.jars = jars;
    }

    /** The cache for the program's JVM {@code java} and Weft's jars, or {@code null} if there is no safe place. */
    static MasterClassCache of(Path java, Installation installation) {
        try {
            List<String> jars = new ArrayList<>();
            StringBuilder key = new StringBuilder(java.toRealPath() + "|" + System.getProperty("java.vm.version"));
            for (Path jar : List.of(installation.agentJar(), installation.apiJar())) {
                Path real = jar.toRealPath();
                jars.add(real.toString());
                key.append('|').append(real).append('|').append(Files.size(real)).append('|')
                        .append(Files.getLastModifiedTime(real).toMillis());
            }
            Path folder = ownFolder();
            if (folder == null) {
                return null;
            }
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return new MasterClassCache(folder.resolve("master-" + HexFormat.of().formatHex(digest, 0, 12) + ".jsa"),
                    List.copyOf(jars));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null; // only a speed-up
        }
    }

    /** Where the archive is, or will be. */
    Path archive() {
        return archive;
    }

    /** Whether the archive has been made. */
    boolean ready() {
        return Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS);
    }

    /** Weft's jars, in the order the program's class path must start with for the archive to be used. */
    List<String> classPathHead() {
        return jars;
    }

    /** The JVM options that map the archive, which must be {@link #ready}. */
    List<String> useOptions() {
        // A stale or foreign archive is skipped by the JVM; it must not say so on the program's standard output.
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * Sets out to make the archive from the run of the JVM that will have process id {@code pid} (the launcher's
     * parent, which {@code exec}s it): claims the making (a run that finds it claimed leaves it to the other),
     * starts the background process that waits for that JVM to end and makes the archive, and returns the option
     * that has the JVM record its classes; none if another run makes it or the process cannot be started.
     */
    List<String> trainOptions(long pid, Path java) {
        Path claim = archive.resolveSibling(archive.getFileName() + ".claim");
        try {
            Files.createFile(claim, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            try {
                if (Files.getLastModifiedTime(claim).toMillis() > System.currentTimeMillis() - CLAIM_MILLIS) {
                    return List.of(); // another run is making it
                }
                Files.setLastModifiedTime(claim, FileTime.fromMillis(
                        System.currentTimeMillis()));
            } catch (IOException | RuntimeException again) {
                return List.of();
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        prune(archive.getParent());
        String base = archive.getFileName().toString();
        Path list = archive.resolveSibling(base + ".classlist");
        Path partial = archive.resolveSibling(base + "." + pid + ".part");
        Path jdkList = java.toAbsolutePath().getParent().getParent().resolve("lib/classlist");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // its own session: not stopped with the program's process group
        }
        // The JDK's own start-up list goes in too: a static archive stands in for the JDK's default one.
        command.addAll(List.of("/bin/sh", "-c", """
                while kill -0 "$1" 2>/dev/null; do sleep 0.2; done
                if [ -s "$2" ]; then
                  cat "$7" "$2" > "$2.all" 2>/dev/null || cp "$2" "$2.all"
                  "$3" -Xshare:dump -XX:SharedClassListFile="$2.all" -XX:SharedArchiveFile="$4" -cp "$5" \
                    && mv -f "$4" "$6" && rm -f "$8"
                else
                  rm -f "$8"
                fi
                rm -f "$2" "$2.all" "$4"
                """, "weft-class-cache", Long.toString(pid), list.toString(), java.toString(), partial.toString(),
                String.join(File.pathSeparator, jars), archive.toString(), jdkList.toString(),
                claim.toString()));
        try {
            Files.deleteIfExists(list);
            new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start().getOutputStream().close();
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(claim);
            } catch (IOException again) {
                // left to go stale
            }
            return List.of();
        }
        return List.of("-XX:DumpLoadedClassList=" + list);
    }

    /**
     * Keeps the folder small: each rebuilt jar or other JVM gets an archive of its own (about 20 MB), so only the
     * {@value #KEPT} most recently made stay, and parts a killed run left go after a day.
     */
    private static void prune(Path folder) {
        try (var files = Files.list(folder)) {
            List<Path> archives = new ArrayList<>();
            long dayAgo = System.currentTimeMillis() - 86_400_000L;
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith("master-")) {
                    continue;
                }
                if (name.endsWith(".jsa")) {
                    archives.add(p);
                } else if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < dayAgo) {
                    Files.deleteIfExists(p);
                }
            }
            archives.sort(Comparator.comparingLong(MasterClassCache::modified).reversed());
            for (Path old : archives.subList(Math.min(archives.size(), KEPT - 1), archives.size())) {
                Files.deleteIfExists(old);
            }
        } catch (IOException | RuntimeException e) {
            // Only tidiness: the next run tries again.
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The user's own cache folder, made if need be; {@code null} if it exists and is not safely the user's. */
    private static Path ownFolder() throws IOException {
        String user = System.getProperty("user.name", "user");
        Path folder = Path.of(System.getProperty("java.io.tmpdir"),
                "weft-class-cache-" + user.replaceAll("[^A-Za-z0-9_.-]", "_"));
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // Made meanwhile by another run: checked below like any.
            } catch (UnsupportedOperationException e) {
                return null; // not a POSIX file system: no way to keep others out
            }
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                || !Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName().equals(user)
                || !Files.getPosixFilePermissions(folder, LinkOption.NOFOLLOW_LINKS)
                        .equals(PosixFilePermissions.fromString("rwx------"))) {
            return null;
        }
        return folder;
    }
}
