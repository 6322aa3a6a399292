package io.weft.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TimeZone;

/**
 * The text of a log line: {@code 2026-12-06 01:02:03.456 WARN  [thread] Class: message}, then the stack trace of
 * what was thrown, if anything. Shared by the log4j2 layout and by the plain writer of a process that ends before
 * log4j2 is loaded. Pure.
 */
final class LogLines {
    private LogLines() {}

    /**
     * {@code yyyy-MM-dd HH:mm:ss.SSS} of a local time in milliseconds since the epoch. By hand rather than with
     * {@code java.time}'s formatter, whose hundred classes would be most of what a short run's log costs.
     */
    static void time(StringBuilder line, long localMillis) {
        long days = Math.floorDiv(localMillis, 86_400_000L);
        long ofDay = Math.floorMod(localMillis, 86_400_000L);
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        line.append(year).append('-');
        two(line, month).append('-');
        two(line, day).append(' ');
        two(line, ofDay / 3_600_000).append(':');
        two(line, ofDay / 60_000 % 60).append(':');
        two(line, ofDay / 1000 % 60).append('.');
        long ms = ofDay % 1000;
        line.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms);
    }

    private static StringBuilder two(StringBuilder line, long n) {
        return line.append(n < 10 ? "0" : "").append(n);
    }

    static void format(StringBuilder line, long millis, String level, String thread, String logger, String message,
            Throwable thrown) {
        time(line, millis + TimeZone.getDefault().getOffset(millis));
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
