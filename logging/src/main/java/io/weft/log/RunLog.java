package io.weft.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The process's log file, if it has one: {@link #toFile} names it once, early in the process (the master's start,
 * a worker's {@code --log-file}); until then, and in a run without one, messages go to standard error only (see
 * {@link Log}) and log4j2 is never loaded.
 *
 * <p>log4j2 takes a good part of a second of class loading on a small machine, so {@link #toFile} opens the file
 * on a thread of its own, a second after the call ({@link #OPEN_DELAY_MILLIS}), and returns at once; messages
 * logged meanwhile are kept, with their time and thread, and written first once it is open. A process that ends
 * before writes them in the same form without log4j2. No thread that logs ever waits for log4j2 to load. Each
 * line is flushed as it is written, so a run that ends with {@code halt} or a crash keeps its log. Thread-safe.
 */
public final class RunLog {
    /** The file and its level, or {@code null} when there is none. */
    private static volatile Target target;
    /**
     * How long after {@link #toFile} log4j2 starts to load: its few hundred classes, loaded while the program
     * starts, would hold up the start on a small machine (more than 100 ms of an empty program's 300 on two
     * cores). A process that ends sooner writes its lines without it.
     */
    static final long OPEN_DELAY_MILLIS = 1000;
    /** How many messages are kept for the file before log4j2 loads at once. */
    private static final int EARLY_MAX = 1000;

    /** A file being opened, then open; {@code opened} completes once the messages kept meanwhile are written. */
    private static final class Target {
        final Path path;
        final LogLevel level;
        final CompletableFuture<LogFile> opened = new CompletableFuture<>();
        /** Counted down when log4j2 must load now rather than after {@link #OPEN_DELAY_MILLIS}. */
        private final CountDownLatch openNow = new CountDownLatch(1);
        /** The open file, or {@code null} while it opens (messages go to {@link #early} then). */
        private volatile LogFile file;
        private final List<Early> early = new ArrayList<>();

        Target(Path path, LogLevel level) {
            this.path = path;
            this.level = level;
        }

        void write(LogLevel level, String logger, String message, Throwable thrown) {
            LogFile f = file;
            if (f == null) {
                synchronized (this) {
                    f = file;
                    if (f == null) {
                        early.add(new Early(level, logger, message, thrown, System.currentTimeMillis(),
                                Thread.currentThread().getName()));
                        if (early.size() >= EARLY_MAX) {
                            openNow.countDown();
                        }
                        return;
                    }
                }
            }
            f.write(level, logger, message, thrown, System.currentTimeMillis(), Thread.currentThread().getName());
        }

        /** Waits until log4j2 should load: after the start of the process, or sooner when told. */
        void awaitOpening() {
            try {
                openNow.await(OPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean isOpen() {
            return file != null;
        }

        /**
         * The file is open: the kept messages go first, in order, then every message goes straight to it. A file
         * opened too late (the process ended first, and wrote its messages without log4j2) is closed at once.
         */
        synchronized void opened(LogFile f) {
            if (file != null) {
                try {
                    f.close();
                } catch (RuntimeException | LinkageError e) {
                    // The process is ending (log4j2 cannot register its shutdown hook any more): the file it opened
                    // too late holds nothing, and nothing is left to say about it.
                }
                return;
            }
            for (Early e : early) {
                f.write(e.level(), e.logger(), e.message(), e.thrown(), e.millis(), e.thread());
            }
            early.clear();
            file = f;
            opened.complete(f);
        }
    }

    private record Early(LogLevel level, String logger, String message, Throwable thrown, long millis,
            String thread) {}

    private RunLog() {}

    /**
     * From now on, messages at {@code level} and above also go to {@code file}, appended to. Its folder is made if
     * it is missing. A file that cannot be written is said once on standard error, and the run goes on without.
     * Opens it in the background and returns at once. A second call replaces the first file.
     */
    public static synchronized void toFile(Path file, LogLevel level) {
        Target before = target;
        Target next = new Target(file, level);
        target = next;
        Thread t = new Thread(() -> {
            if (before != null) {
                before.opened.join().close();
            }
            if (!writable(file)) {
                next.opened(LogFile.NONE);
                return;
            }
            next.awaitOpening();
            if (!next.isOpen()) {
                LogFile opened;
                try {
                    opened = Log4jFile.open(file, level);
                } catch (RuntimeException | LinkageError e) {
                    if (next.isOpen()) {
                        return; // the process ended meanwhile and wrote its messages without log4j2
                    }
                    // The log still matters more than how it is written.
                    System.err.println("weft: warning: cannot start log4j2 (" + e + "); writing " + file
                            + " without it");
                    opened = new PlainFile(file);
                }
                next.opened(opened);
            }
        }, "weft-log-open");
        t.setDaemon(true);
        t.start();
        if (before == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(RunLog::ending, "weft-log-end"));
        }
    }

    /** The file messages go to, or {@code null}. */
    public static Path file() {
        Target t = target;
        return t == null ? null : t.path;
    }

    /**
     * Closes the file, once what was written before has been written; messages go to standard error only again.
     * For tests, and for a process that is about to end.
     */
    public static synchronized void close() {
        Target t = target;
        target = null;
        if (t != null) {
            t.openNow.countDown();
            t.opened.join().close();
        }
    }

    /**
     * The process ends: if log4j2 is still loading, what was logged is written without it rather than lost, and
     * without holding the end up.
     */
    private static void ending() {
        Target t = target;
        if (t != null && t.file == null) {
            t.opened(new PlainFile(t.path));
        }
    }

    /** Whether a message at {@code level} goes to a file. */
    static boolean takes(LogLevel level) {
        Target t = target;
        return t != null && t.level.includes(level);
    }

    static void write(LogLevel level, String logger, String message, Throwable thrown) {
        Target t = target;
        if (t != null && t.level.includes(level)) {
            t.write(level, logger, message, thrown);
        }
    }

    /** Makes the file's folder and checks that the file can be written; says so once if not. */
    private static boolean writable(Path file) {
        try {
            PrivateFiles.prepare(file);
            // Said in Weft's words here, rather than by log4j2's status logger when its appender cannot open it.
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                out.flush();
            }
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("weft: warning: cannot write the log file " + file + " (" + e
                    + "); logging to standard error only");
            System.err.flush();
            return false;
        }
    }
}
