package io.weft.log;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * What a class of the runtime logs through. Warnings and errors are printed on standard error exactly as given
 * (the {@code weft: ...} lines people and tests read), whether or not there is a log file; they, and every message
 * down to the run's level, also go to the process's log file when {@link RunLog} has one. {@link #console} is for
 * what the user asked to see (a summary, a check report, {@code verbose} timings): standard error, and the file
 * at INFO.
 *
 * <p>Cheap to make and to call when there is no file: nothing of log4j2 is loaded then. Thread-safe; standard
 * error is looked up at each call, so that lines go through a progress bar's stream when one replaced it.
 */
public final class Log {
    private final String name;

    private Log(String name) {
        this.name = name;
    }

    /** The log of the class {@code type}, named after it in the file. */
    public static Log of(Class<?> type) {
        return new Log(type.getName());
    }

    /** Prints {@code line} on standard error and logs it as an error. */
    public void error(String line) {
        error(line, null);
    }

    /** Prints {@code line} and {@code thrown}'s stack trace on standard error, and logs both as an error. */
    public void error(String line, Throwable thrown) {
        say(line, thrown);
        RunLog.write(LogLevel.ERROR, name, line, thrown);
    }

    /** Prints {@code line} on standard error and logs it as a warning. */
    public void warn(String line) {
        say(line, null);
        RunLog.write(LogLevel.WARN, name, line, null);
    }

    /** Prints {@code line} on standard error, for the user who asked for it, and logs it at INFO. */
    public void console(String line) {
        say(line, null);
        RunLog.write(LogLevel.INFO, name, line, null);
    }

    /** Logs {@code message} at INFO: the log file only. */
    public void info(String message) {
        RunLog.write(LogLevel.INFO, name, message, null);
    }

    /** Logs {@code message} and {@code thrown} at INFO: the log file only. */
    public void info(String message, Throwable thrown) {
        RunLog.write(LogLevel.INFO, name, message, thrown);
    }

    /** Logs {@code message} at DEBUG: the log file only. */
    public void debug(String message) {
        RunLog.write(LogLevel.DEBUG, name, message, null);
    }

    /** Logs the message at DEBUG, made only if the file takes it. */
    public void debug(Supplier<String> message) {
        if (RunLog.takes(LogLevel.DEBUG)) {
            RunLog.write(LogLevel.DEBUG, name, message.get(), null);
        }
    }

    /** Logs the message at TRACE, made only if the file takes it. */
    public void trace(Supplier<String> message) {
        if (RunLog.takes(LogLevel.TRACE)) {
            RunLog.write(LogLevel.TRACE, name, message.get(), null);
        }
    }

    /** Whether a message at {@code level} reaches the log file (there is one, and its level includes it). */
    public boolean isEnabled(LogLevel level) {
        return RunLog.takes(level);
    }

    private static void say(String line, Throwable thrown) {
        PrintStream err = System.err;
        err.println(line);
        if (thrown != null) {
            thrown.printStackTrace(err);
        }
        err.flush();
    }
}
