package io.weft.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The text of a log line: {@code 2026-12-06 01:02:03.456 WARN  [thread] Class: message}, then the stack trace of
 * what was thrown, if anything. Shared by the log4j2 layout and by the plain writer of a process that ends before
 * log4j2 is loaded. Pure.
 */
final class LogLines {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private LogLines() {}

    static void format(StringBuilder line, long millis, String level, String thread, String logger, String message,
            Throwable thrown) {
        TIME.formatTo(Instant.ofEpochMilli(millis), line);
        line.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        line.append(" [").append(thread).append("] ").append(logger.substring(logger.lastIndexOf('.') + 1))
                .append(": ").append(message).append(System.lineSeparator());
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
    }
}
