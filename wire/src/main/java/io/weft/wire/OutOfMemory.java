package io.weft.wire;

/**
 * Hands an {@link OutOfMemoryError} caught where it would otherwise be reported as something else (a dropped
 * connection, a failed decode) to the process's default uncaught-exception handler: the master installs one that
 * ends the run at once, saying so, rather than limp on with threads dying one by one.
 */
public final class OutOfMemory {
    private OutOfMemory() {}

    /** If {@code error} is, or was caused by, an {@link OutOfMemoryError}, tells the default handler of it. */
    public static void check(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
                if (handler != null) {
                    handler.uncaughtException(Thread.currentThread(), oom);
                }
                return;
            }
        }
    }
}
