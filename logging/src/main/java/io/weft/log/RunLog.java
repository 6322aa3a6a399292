package io.weft.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * The process's log file, if it has one: {@link #toFile} names it once, early in the process (the master's start,
 * a worker's {@code --log-file}); until then, and in a run without one, messages go to standard error only (see
 * {@link Log}) and log4j2 is never loaded.
 *
 * <p>log4j2 takes a good part of a second of class loading on a small machine, so {@link #toFile} opens the file
 * on a thread of its own and returns at once; the first message that must be written waits for it, and later
 * ones write straight through. Each line is flushed as it is written, so a run that ends with {@code halt} or a
 * crash keeps its log. Thread-safe.
 */
public final class RunLog {
    /** The file and its level, or {@code null} when there is none. */
    private static volatile Target target;

    private record Target(Path path, LogLevel level, CompletableFuture<LogFile> file) {}

    private RunLog() {}

    /**
     * From now on, messages at {@code level} and above also go to {@code file}, appended to. Its folder is made if
     * it is missing. A file that cannot be written is said once on standard error, and the run goes on without.
     * Opens it in the background and returns at once. A second call replaces the first file.
     */
    public static synchronized void toFile(Path file, LogLevel level) {
        Target before = target;
        CompletableFuture<LogFile> opened = new CompletableFuture<>();
        target = new Target(file, level, opened);
        Thread t = new Thread(() -> {
            if (before != null) {
                before.file().join().close();
            }
            opened.complete(open(file, level));
        }, "weft-log-open");
        t.setDaemon(true);
        t.start();
    }

    /** The file messages go to, or {@code null}. */
    public static Path file() {
        Target t = target;
        return t == null ? null : t.path();
    }

    /**
     * Closes the file, once what was written before has been written; messages go to standard error only again.
     * For tests, and for a process that is about to end.
     */
    public static synchronized void close() {
        Target t = target;
        target = null;
        if (t != null) {
            t.file().join().close();
        }
    }

    /** Whether a message at {@code level} goes to a file. */
    static boolean takes(LogLevel level) {
        Target t = target;
        return t != null && t.level().includes(level);
    }

    static void write(LogLevel level, String logger, String message, Throwable thrown) {
        Target t = target;
        if (t != null && t.level().includes(level)) {
            t.file().join().write(level, logger, message, thrown);
        }
    }

    private static LogFile open(Path file, LogLevel level) {
        try {
            Path folder = file.toAbsolutePath().getParent();
            if (folder != null) {
                Files.createDirectories(folder);
            }
            // Said in Weft's words here, rather than by log4j2's status logger when its appender cannot open it.
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("weft: warning: cannot write the log file " + file + " (" + e
                    + "); logging to standard error only");
            System.err.flush();
            return LogFile.NONE;
        }
        return Log4jFile.open(file, level);
    }
}
