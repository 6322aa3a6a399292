package io.weft.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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
 * complete. A later run maps it, with Weft's jars first on its class path, as the archive requires. The options
 * that decide how the JVM lays out its heap's pointers ({@code -Xmx} and the like) are part of the archive's key
 * and given to the dump too: an archive made for other ones would turn class-data sharing off altogether. A
 * missing, stale or unusable archive only costs that time: the JVM then loads the classes as usual, silently.
 *
 * <p>Used by the launcher's one thread; runs that start together share the folder through files made atomically.
 */
final class MasterClassCache {
    /** How many master archives the folder keeps, the one about to be made included. */
    static final int KEPT = 4;
    /** After a dump that failed, how long runs leave the archive unmade rather than fail the same way again. */
    private static final long FAILED_MILLIS = 86_400_000L;
    /** JVM options that change how the heap's pointers are laid out, which an archive must have been made with. */
    private static final List<String> LAYOUT_OPTIONS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM",
            "-XX:+UseCompressedOops", "-XX:-UseCompressedOops", "-XX:+UseCompressedClassPointers",
            "-XX:-UseCompressedClassPointers", "-XX:ObjectAlignmentInBytes=", "-XX:+UseZGC", "-XX:+CompactStrings",
            "-XX:-CompactStrings");

    private final Path archive;
    private final List<String> jars;
    private final List<String> layout;

    private MasterClassCache(Path archive, List<String> jars, List<String> layout) {
        this.archive = archive;
        this.jars = jars;
        this.layout = layout;
    }

    /**
     * The cache for the program's JVM {@code java}, Weft's jars and the user's JVM options {@code jvmOptions}, or
     * {@code null} if there is no safe place.
     */
    static MasterClassCache of(Path java, Installation installation, List<String> jvmOptions) {
        try {
            List<String> layout = layoutOptions(jvmOptions);
            List<String> jars = new ArrayList<>();
            StringBuilder key = new StringBuilder(java.toRealPath() + "|" + System.getProperty("java.vm.version"));
            key.append('|').append(String.join(" ", layout));
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
                    List.copyOf(jars), layout);
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null; // only a speed-up
        }
    }

    /** Those of {@code jvmOptions} that decide the heap's pointer layout, in their order. */
    static List<String> layoutOptions(List<String> jvmOptions) {
        List<String> layout = new ArrayList<>();
        for (String o : jvmOptions) {
            for (String prefix : LAYOUT_OPTIONS) {
                if (o.startsWith(prefix)) {
                    layout.add(o);
                    break;
                }
            }
        }
        return List.copyOf(layout);
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
     * Sets out to make the archive from the run of the JVM that will have process id {@code pid} ({@code bin/weft}'s
     * own, which {@code exec}s it): claims the making (a run that finds it claimed by a live process leaves it to
     * that one), starts the background process that waits for that JVM to end and makes the archive, and returns
     * the option that has the JVM record its classes; none if another run makes it, a dump failed lately, or the
     * process cannot be started.
     */
    List<String> trainOptions(long pid, Path java) {
        String base = archive.getFileName().toString();
        Path claim = archive.resolveSibling(base + ".claim");
        Path failed = archive.resolveSibling(base + ".failed");
        try {
            if (Files.exists(failed, LinkOption.NOFOLLOW_LINKS)
                    && Files.getLastModifiedTime(failed).toMillis() > System.currentTimeMillis() - FAILED_MILLIS) {
                return List.of(); // the same dump would fail again: a day's rest, or a new jar or JVM
            }
            if (!claim(claim)) {
                return List.of();
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        prune(archive.getParent(), KEPT - 1);
        Path list = archive.resolveSibling(base + "." + pid + ".classlist");
        Path partial = archive.resolveSibling(base + "." + pid + ".part");
        Path jdkList = java.toAbsolutePath().getParent().getParent().resolve("lib/classlist");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // its own session: not stopped with the program's process group
        }
        // It waits while the process with that number is the one that started then (a number can be given again)
        // and is not a zombie. The dump gets the layout options but none of the environment's: an agent there
        // (APM tools set one in JAVA_TOOL_OPTIONS) would make it fail. The JDK's own start-up list goes in too:
        // a static archive stands in for the JDK's default one. The claim goes only if it is still this waiter's.
        command.addAll(List.of("/bin/sh", "-c", """
                pid=$1 list=$2 java=$3 partial=$4 cp=$5 archive=$6 jdk=$7 claim=$8 failed=$9
                shift 9
                cd /
                unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS
                state() { sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null; }
                started=$(state | cut -d' ' -f20)
                while kill -0 "$pid" 2>/dev/null; do
                  now=$(state)
                  case "$now" in Z*|'') break ;; esac
                  [ "$(echo "$now" | cut -d' ' -f20)" = "$started" ] || break
                  sleep 1
                done
                if [ -s "$list" ]; then
                  cat "$jdk" "$list" > "$list.all" 2>/dev/null || cp "$list" "$list.all"
                  if "$java" "$@" -Xshare:dump -XX:SharedClassListFile="$list.all" -XX:SharedArchiveFile="$partial" \
                      -cp "$cp" && mv -f "$partial" "$archive"; then :; else touch "$failed"; fi
                fi
                rm -f "$list" "$list.all" "$partial"
                case "$(cat "$claim" 2>/dev/null)" in "$$ "*) rm -f "$claim" ;; esac
                """, "weft-class-cache", Long.toString(pid), list.toString(), java.toString(), partial.toString(),
                String.join(File.pathSeparator, jars), archive.toString(), jdkList.toString(), claim.toString(),
                failed.toString()));
        command.addAll(layout);
        try {
            Process waiter = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            waiter.getOutputStream().close();
            // The claim names the waiter and when it started: a run that finds it gone takes the making over.
            Files.writeString(claim, waiter.pid() + " " + waiter.info().startInstant().map(Instant::toEpochMilli)
                    .orElse(0L));
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(claim);
            } catch (IOException again) {
                // taken over by the next run: its process is gone
            }
            return List.of();
        }
        return List.of("-XX:DumpLoadedClassList=" + list);
    }

    /**
     * Claims the making of the archive: makes the claim file, or takes over one whose waiter has gone (killed
     * before it finished) by renaming it aside, which only one run can do. Whether this run makes the archive.
     */
    private static boolean claim(Path claim) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(claim, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                return true;
            } catch (FileAlreadyExistsException e) {
                String holder;
                try {
                    holder = Files.readString(claim).trim();
                } catch (IOException gone) {
                    continue; // removed meanwhile: try again
                }
                // An empty claim: its maker is writing its waiter's name, unless it died doing so.
                if (holder.isEmpty() ? Files.getLastModifiedTime(claim).toMillis()
                        > System.currentTimeMillis() - 60_000 : alive(holder)) {
                    return false;
                }
                Path aside = claim.resolveSibling(claim.getFileName() + "." + ProcessHandle.current().pid());
                try {
                    Files.move(claim, aside, StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(aside);
                } catch (NoSuchFileException takenOver) {
                    return false; // another run took it over first
                }
            }
        }
        return false;
    }

    /** Whether the waiter a claim names ({@code "<pid> <start millis>"}) is still the process it was. */
    private static boolean alive(String holder) {
        String[] words = holder.split(" ");
        try {
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(words[0]));
            if (p.isEmpty() || !p.get().isAlive()) {
                return false;
            }
            long started = words.length > 1 ? Long.parseLong(words[1]) : 0;
            return started == 0 || p.get().info().startInstant().map(Instant::toEpochMilli).orElse(started)
                    == started;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Keeps the cache's folder small: see {@link #prune(Path, int)}; called by every run that may use it. */
    void prune() {
        prune(archive.getParent(), KEPT);
    }

    /**
     * Keeps the folder small: each rebuilt jar or other JVM gets an archive of its own (20 to 40 MB), so only the
     * {@code keep} most recently made stay, and what a killed run or waiter left goes after a day.
     */
    private static void prune(Path folder, int keep) {
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
            for (Path old : archives.subList(Math.min(archives.size(), keep), archives.size())) {
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
