package io.weft.runtime.master;

/**
 * The master's answer to running out of memory: an {@link OutOfMemoryError} that reaches no handler of its own
 * (in a runtime thread, or the program's) ends the run at once with exit status {@value #STATUS}, saying what
 * happened and what to do, instead of leaving the runtime with some of its threads dead and the program waiting
 * for ever. Worker processes the master started on this host end with it; others notice their connection close.
 * Other uncaught exceptions are printed as the JVM prints them.
 */
final class MasterOutOfMemory implements Thread.UncaughtExceptionHandler {
    /** The exit status, as the JVM's own {@code -XX:+ExitOnOutOfMemoryError} uses. */
    static final int STATUS = 3;

    private final Thread.UncaughtExceptionHandler previous;
    /** Made at start: there may be no memory to make them when they are needed. */
    private final String before = "weft: the master ran out of memory (";
    private final String after = "); the run stops, with exit status " + STATUS + ". Give the master more memory"
            + " (java -Xmx…, or weft run --jvm-option=-Xmx…), or keep fewer task results alive at once.";

    private MasterOutOfMemory(Thread.UncaughtExceptionHandler previous) {
        this.previous = previous;
    }

    /** Installs the handler as the process's default, keeping the one installed before for other exceptions. */
    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new MasterOutOfMemory(Thread.getDefaultUncaughtExceptionHandler()));
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (error instanceof OutOfMemoryError) {
            try {
                System.err.println(before + error.getMessage() + ", in thread " + thread.getName() + after);
                System.err.flush();
            } catch (Throwable cannotSay) {
                // nothing more can be done: the status says it
            }
            Runtime.getRuntime().halt(STATUS);
        }
        if (previous != null) {
            previous.uncaughtException(thread, error);
        } else if (!(error instanceof ThreadDeath)) {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace(System.err);
        }
    }
}
