package io.weft.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

/**
 * A log line: {@code 2026-12-06 01:02:03.456 WARN  [thread] Class: message}, then the stack trace of what was
 * thrown, if anything. Written in code rather than as a {@code PatternLayout}, whose converters are plugins that
 * log4j2 finds through a registry file by class name: that registry is the application's too when it brings its
 * own log4j2, and would not name the agent jar's relocated classes.
 */
final class LineLayout extends AbstractStringLayout {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    LineLayout(Configuration configuration) {
        super(configuration, StandardCharsets.UTF_8, null, null);
    }

    @Override
    public String toSerializable(LogEvent event) {
        StringBuilder line = getStringBuilder();
        TIME.formatTo(Instant.ofEpochMilli(event.getTimeMillis()), line);
        String level = event.getLevel().name();
        line.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(" [").append(event.getThreadName()).append("] ")
                .append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ")
                .append(event.getMessage().getFormattedMessage()).append(System.lineSeparator());
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }
}
