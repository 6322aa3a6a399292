package io.weft.log;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LifeCycle2;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * A log file written through log4j2: a {@link LoggerContext} of Weft's own, with one file appender and
 * {@link LineLayout}, all made in code. Nothing is looked up by name (no plugin, no configuration file, no
 * {@code LogManager}), which keeps the application's own log4j2 set-up out of it and this one out of the
 * application's, and lets the copy in the agent jar be relocated without its plugin registry.
 *
 * <p>Thread-safe; every line is flushed as it is written.
 */
final class Log4jFile implements LogFile {
    private final LoggerContext context;
    private final LoggerConfig root;

    private Log4jFile(LoggerContext context) {
        this.context = context;
        this.root = context.getConfiguration().getRootLogger();
    }

    static LogFile open(Path file, LogLevel level) {
        LoggerContext context = new LoggerContext("weft");
        Configuration configuration = new FileConfiguration(context, file, level);
        Map<String, String> properties = configuration.getComponent(Configuration.CONTEXT_PROPERTIES);
        if (properties != null) {
            // Else the context looks the host name up (a DNS query) for a ${hostName} that nothing here uses.
            properties.putIfAbsent("hostName", "localhost");
        }
        context.setConfiguration(configuration);
        return new Log4jFile(context);
    }

    @Override
    public void write(LogLevel level, String logger, String message, Throwable thrown, long millis, String thread) {
        // An event made here rather than by a Logger: a message logged while the file was opening keeps its time
        // and thread. Levels were checked by the caller.
        root.log(Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level(level))
                .setMessage(new SimpleMessage(message)).setThrown(thrown).setTimeMillis(millis).setThreadName(thread)
                .build());
    }

    @Override
    public void close() {
        // The configuration (its appender), not the context: stopping the context also tells log4j2's global
        // factory, which this context was never given to, and so made it. In a process that is ending, making it
        // failed, saying "Cannot start ShutdownCallbackRegistry, already shutting down" on standard error.
        Configuration configuration = context.getConfiguration();
        if (configuration instanceof LifeCycle2 stoppable) {
            stoppable.stop(5, TimeUnit.SECONDS);
        } else {
            configuration.stop();
        }
    }

    private static Level level(LogLevel level) {
        switch (level) {
            case ERROR: return Level.ERROR;
            case WARN: return Level.WARN;
            case INFO: return Level.INFO;
            case DEBUG: return Level.DEBUG;
            default: return Level.TRACE;
        }
    }

    /** One file appender under the root logger, at the run's level. */
    private static final class FileConfiguration extends AbstractConfiguration {
        private final Path file;
        private final LogLevel level;

        FileConfiguration(LoggerContext context, Path file, LogLevel level) {
            super(context, ConfigurationSource.NULL_SOURCE);
            this.file = file;
            this.level = level;
            setName("weft");
        }

        @Override
        protected void doConfigure() {
            Appender appender = FileAppender.newBuilder()
                    .setName("weft-file")
                    .withFileName(file.toString())
                    .withAppend(true)
                    .setImmediateFlush(true)
                    .setIgnoreExceptions(true)
                    .setLayout(new LineLayout(this))
                    .setConfiguration(this)
                    .build();
            appender.start();
            addAppender(appender);
            LoggerConfig root = getRootLogger();
            root.setLevel(level(level));
            root.addAppender(appender, null, null);
        }
    }
}
