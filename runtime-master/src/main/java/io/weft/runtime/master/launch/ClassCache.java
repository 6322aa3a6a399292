package io.weft.runtime.master.launch;

import io.weft.runtime.master.config.UserCacheFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A class-data sharing archive of the classes a worker process loads on its way to its first task (Netty, Apache
 * Fory, the JDK's crypto, Weft's own: some 2,000 classes), so that worker processes on this host map them instead
 * of reading and verifying them one by one: about a quarter of two workers' start on a 2-core machine.
 *
 * <p>One archive per Weft jar (its path, size and time), JVM (its home and build) and the workers' heap layout
 * options ({@link #layout}), in a folder of the user's own under the temporary directory
 * ({@code weft-class-cache-<user>}, mode 700; a folder another user could write to is never used, since archived
 * classes run in the workers). The first run with worker processes on this host has none: as it ends, it starts
 * a training worker ({@code WorkerMain --train-class-cache}) with those options under
 * {@code -XX:ArchiveClassesAtExit} in the background, which writes the archive for the next runs. A missing,
 * stale or unusable archive only costs that time: the JVM then loads the classes as usual, silently.
 *
 * <p>Thread-safe.
 */
final class ClassCache {
    private static final AtomicBoolean TRAINING_STARTED = new AtomicBoolean();
    /** How many archives the folder keeps, the one about to be made included. */
    static final int KEPT = 4;
    /** JVM options that decide how the heap's pointers and strings are laid out, which an archive must match. */
    private static final List<String> LAYOUT_OPTIONS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM",
            "-XX:+UseCompressedOops", "-XX:-UseCompressedOops", "-XX:+UseCompressedClassPointers",
            "-XX:-UseCompressedClassPointers", "-XX:ObjectAlignmentInBytes=", "-XX:+UseZGC", "-XX:+CompactStrings",
            "-XX:-CompactStrings");

    private ClassCache() {}

    /**
     * The JVM options that let a worker process started on this host with Weft's jar {@code jar} use the archive,
     * if it has been made; none otherwise (then {@link #makeIfMissing} makes it at the end of the run).
     */
    static List<String> jvmOptions(String jar, List<String> layout) {
        Path archive = archive(jar, layout);
        if (archive == null || !Files.isRegularFile(archive, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        // A stale or foreign archive is skipped by the JVM; it must not say so on the program's standard output.
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * Starts, once per process and in the background, the training worker that makes the archive for {@code jar}
     * if there is none yet: a process of its own that outlives this one, writes the archive under a temporary
     * name and renames it when complete, its output discarded.
     */
    static void makeIfMissing(String jar, List<String> layout) {
        Path archive = archive(jar, layout);
        if (archive == null || Files.exists(archive, LinkOption.NOFOLLOW_LINKS)
                || !TRAINING_STARTED.compareAndSet(false, true)) {
            return;
        }
        prune(archive.getParent());
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid"); // its own session: not stopped with the program's process group
        }
        // The workers' heap layout options go to the training worker too ("$@"): an archive made with another
        // layout would make their JVMs turn class-data sharing off altogether.
        command.addAll(List.of("/bin/sh", "-c",
                "j=$0 p=$1 cp=$2 m=$3 t=$4 a=$5; shift 5; \"$j\" \"$@\" -XX:ArchiveClassesAtExit=\"$p\" -Xlog:cds=off"
                        + " -Xlog:cds+dynamic=off -cp \"$cp\" \"$m\" \"$t\" && mv -f \"$p\" \"$a\"; rm -f \"$p\"",
                java, partial.toString(), jar, LaunchCommands.MAIN_CLASS,
                io.weft.runtime.worker.process.WorkerMain.TRAIN_CLASS_CACHE, archive.toString()));
        command.addAll(layout);
        try {
            new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start().getOutputStream().close();
        } catch (IOException e) {
            // Only a speed-up: the next run tries again.
        }
    }

    /**
     * Keeps the folder small: each rebuilt jar or other JVM gets an archive of its own (about 12 MB), so only the
     * {@value #KEPT} most recently made stay (this one about to be made included), and parts a training run left (it
     * was killed) go after a day.
     */
    private static void prune(Path folder) {
        UserCacheFolder.prune(folder, "worker-", ".jsa", KEPT - 1);
    }

    /**
     * Those of a worker's JVM options {@code jvmOptions} that decide how its heap's pointers and strings are laid
     * out ({@code -Xmx}, compressed pointers, {@code -XX:+UseZGC}, …): an archive serves only workers started with
     * the same ones.
     */
    static List<String> layout(List<String> jvmOptions) {
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

    /**
     * Where the archive for {@code jar}, this JVM and the heap layout options {@code layout} goes, or {@code null}
     * if there is no safe place for it.
     */
    static Path archive(String jar, List<String> layout) {
        if (jar == null || !jar.endsWith(".jar")) {
            return null; // Weft's classes in a build's folders: the JVM archives no classes from folders
        }
        try {
            Path file = Path.of(jar).toRealPath();
            String key = System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|" + file
                    + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis()
                    + (layout.isEmpty() ? "" : "|" + String.join(" ", layout));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            Path folder = UserCacheFolder.get();
            return folder == null ? null : folder.resolve("worker-" + HexFormat.of().formatHex(digest, 0, 12)
                    + ".jsa");
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return null;
        }
    }
}
