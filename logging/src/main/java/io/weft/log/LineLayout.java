package io.weft.log;

import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;

/**
 * A log line as {@link LogLines} writes it. Written in code rather than as a {@code PatternLayout}, whose
 * converters are plugins that log4j2 finds through a registry file by class name: that registry is the
 * application's too when it brings its own log4j2, and would not name the agent jar's relocated classes.
 */
final class LineLayout extends AbstractStringLayout {
    LineLayout(Configuration configuration) {
        super(configuration, StandardCharsets.UTF_8, null, null);
    }

    @Override
    public String toSerializable(LogEvent event) {
        StringBuilder line = getStringBuilder();
        LogLines.format(line, event.getTimeMillis(), event.getLevel().name(), event.getThreadName(),
                event.getLoggerName(), event.getMessage().getFormattedMessage(), event.getThrown());
        return line.toString();
    }
}
