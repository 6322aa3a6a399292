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
    /**
     * Memory kept aside for the handler itself, let go of first: with the heap exhausted, even printing the
     * message needs some.
     */
    private volatile byte[] reserve = new byte[1 << 20];
    /** Made at start: there may be no memory to make them when they are needed. */
    private final String before = "weft: the master ran out of memory (";
    private final String after = "); the run stops, with exit status " + STATUS + ". Give the master more memory"
            + " (java -Xmx…, or weft run --jvm-option=-Xmx…), or keep fewer task results alive at once.";

    private MasterOutOfMemory(Thread.UncaughtExceptionHandler previous) {
        this.previous = previous;
    }

    /** Installs the handler as the process's default, keeping the one installed before for other exceptions. */
    static void install() {
        MasterOutOfMemory handler = new MasterOutOfMemory(Thread.getDefaultUncaughtExceptionHandler());
        // Once now, into nothing: the classes and call sites it needs are then loaded and linked, which needs memory.
        handler.say(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), Thread.currentThread(),
                new OutOfMemoryError("none"));
        Thread.setDefaultUncaughtExceptionHandler(handler);
    }

    private void say(java.io.PrintStream err, Thread thread, Throwable error) {
        err.print(before);
        err.print(error.getMessage());
        err.print(", in thread ");
        err.print(thread.getName());
        err.println(after);
        err.flush();
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (error instanceof OutOfMemoryError) {
            reserve = null;
            try {
                say(System.err, thread, error);
            } catch (Throwable cannotSay) {
                // nothing more can be done: the status says it
            } finally {
                Runtime.getRuntime().halt(STATUS);
            }
        }
        if (previous != null) {
            previous.uncaughtException(thread, error);
        } else if (!(error instanceof ThreadDeath)) {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            error.printStackTrace(System.err);
        }
    }
}
