package io.weft.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A log file appended to without log4j2: for a process that ends while log4j2 is still loading (a worker of a
 * short run), so that what it logged is not lost, nor its end held up. Thread-safe.
 */
final class PlainFile implements LogFile {
    private final Path path;

    PlainFile(Path path) {
        this.path = path;
    }

    @Override
    public synchronized void write(LogLevel level, String logger, String message, Throwable thrown, long millis,
            String thread) {
        StringBuilder line = new StringBuilder(128);
        LogLines.format(line, millis, level.name(), thread, logger, message, thrown);
        try {
            PrivateFiles.prepare(path);
        } catch (IOException e) {
            return; // said by the thread that opens the file
        }
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The process is ending; the line is lost.
        }
    }
}
