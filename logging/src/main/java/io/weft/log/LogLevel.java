package io.weft.log;

import java.util.Locale;

/** How much goes to a log file, from the least to the most: each level includes those before it. */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG, TRACE;

    /** The levels a run may ask for ({@code logLevel=}, {@code --log-level}), as they are written. */
    public static final String ACCEPTED = "warn, info, debug, trace";

    /**
     * The level named {@code text} ({@code warn}, {@code info}, {@code debug} or {@code trace}, in any case).
     *
     * @throws IllegalArgumentException naming the accepted levels
     */
    public static LogLevel parse(String text) {
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "warn": return WARN;
            case "info": return INFO;
            case "debug": return DEBUG;
            case "trace": return TRACE;
            default: throw new IllegalArgumentException("'" + text + "' is not a log level: expected one of "
                    + ACCEPTED);
        }
    }

    /** Whether a message at {@code level} is written by a log at this level. */
    public boolean includes(LogLevel level) {
        return level.ordinal() <= ordinal();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
