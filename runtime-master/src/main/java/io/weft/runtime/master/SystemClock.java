package io.weft.runtime.master;

import java.util.function.LongSupplier;

/**
 * {@link System#nanoTime()} as a {@link LongSupplier}, for the runtime's parts that take a clock (tests give their
 * own). A class rather than the method reference: the runtime starts while the JVM interprets, where each lambda
 * costs a class spun at run time, several times the cost of loading a small class from the jar.
 */
final class SystemClock implements LongSupplier {
    static final SystemClock NANOS = new SystemClock();

    private SystemClock() {}

    @Override
    public long getAsLong() {
        return System.nanoTime();
    }
}
