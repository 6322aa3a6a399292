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
        io.weft.wire.OutOfMemory.check(null); // loaded now: the runtime's threads hand it what they catch
        Thread.setDefaultUncaughtExceptionHandler(handler);
        handler.watchCollections();
    }

    /** Consecutive collections after which the heap stayed this full: the run is out of memory, thrashing. */
    private static final double FULL = 0.98;
    private static final int FULL_COLLECTIONS = 4;
    private final java.util.concurrent.atomic.AtomicInteger fullInARow = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A heap that stays nearly full after collection after collection is out of memory even when no
     * {@link OutOfMemoryError} is thrown yet (the collector may thrash for minutes first, while nothing runs and
     * no signal is answered): after {@value #FULL_COLLECTIONS} collections in a row that leave a heap pool more than
     * 98% full, the run stops as for the error.
     */
    private void watchCollections() {
        // On a thread of its own, set-up included, and half a second after the start: the management beans load
        // some 140 classes, which would take CPU from the runtime's start and the program's first tasks, and a
        // short run never needs them (a heap that fills needs more than half a second of collections to thrash).
        // An anonymous class rather than a lambda: this is made before main, while the JVM interprets.
        Thread watch = new io.weft.api.spi.RuntimeThread(null, "weft-memory-watch") {
            @Override
            public void run() {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    setThresholds();
                } catch (RuntimeException e) {
                    return; // no management beans in this JVM: the OutOfMemoryError handler still works
                }
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    // A collection that frees memory ends the row: polled, as no notification says so.
                    boolean full = false;
                    for (java.lang.management.MemoryPoolMXBean pool
                            : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.isCollectionUsageThresholdSupported() && pool.getCollectionUsageThreshold() > 0
                                && pool.getCollectionUsage() != null
                                && pool.getCollectionUsage().getUsed() >= pool.getCollectionUsageThreshold()) {
                            full = true;
                        }
                    }
                    if (!full) {
                        fullInARow.set(0);
                    }
                }
            }
        };
        watch.setDaemon(true);
        watch.start();
    }

    private void setThresholds() {
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            if (pool.getType() != java.lang.management.MemoryType.HEAP || max <= 0
                    || !pool.isCollectionUsageThresholdSupported()) {
                continue;
            }
            pool.setCollectionUsageThreshold((long) (max * FULL));
        }
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        ((javax.management.NotificationEmitter) memory).addNotificationListener((notification, context) -> {
            if (!java.lang.management.MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED
                    .equals(notification.getType())) {
                return;
            }
            if (fullInARow.incrementAndGet() >= FULL_COLLECTIONS) {
                uncaughtException(Thread.currentThread(), new OutOfMemoryError(
                        "the heap stayed over 98% full after " + FULL_COLLECTIONS + " collections in a row"));
            }
        }, null, null);
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
