package io.weft.log;

/** Where a process's log lines are written: a file, or nowhere. Thread-safe. */
interface LogFile {
    /** Writes nothing: there is no file, or it could not be opened. */
    LogFile NONE = (level, logger, message, thrown, millis, thread) -> { };

    /**
     * Writes one message; the caller has checked that the file's level includes {@code level}.
     *
     * @param logger the name of the class that logs
     * @param thrown what went wrong, printed after the message, or {@code null}
     * @param millis when it was logged, in milliseconds since the epoch
     * @param thread the name of the thread that logged it
     */
    void write(LogLevel level, String logger, String message, Throwable thrown, long millis, String thread);

    /** Closes the file; later messages are lost. */
    default void close() {}
}
