package io.weft.runtime.master;

import io.weft.api.spi.RuntimeThread;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The run's wall-clock limit ({@code wallClockLimit}): once the JVM has run that long, a daemon thread says so,
 * notes the stop (so the exit hook neither waits for unfinished tasks nor blames a signal), and exits with
 * {@link #EXIT_STATUS}; the exit hook then stops the workers, as on {@code SIGTERM}. A batch job given a limit a
 * little under its own thus ends in order, with its reason on standard error, rather than killed.
 */
final class WallClock {
    private static final io.weft.log.Log LOG = io.weft.log.Log.of(WallClock.class);
    /** The exit status of a run stopped at its limit, as GNU {@code timeout} uses. */
    static final int EXIT_STATUS = 124;

    private WallClock() {}

    /**
     * Starts the watch, if there is a limit.
     *
     * @param limitMillis the limit, counted from the JVM's start, or 0 for none
     * @param unfinished how many tasks are not finished, for the message
     */
    static void watch(long limitMillis, IntSupplier unfinished) {
        if (limitMillis <= 0) {
            return;
        }
        Instant start = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        Instant deadline = start.plusMillis(limitMillis);
        Thread t = new RuntimeThread(() -> {
            while (true) {
                long left = Duration.between(Instant.now(), deadline).toMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    Thread.sleep(Math.min(left, 60_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!Signals.stopping("wall-clock limit")) {
                return; // stopping already, for another reason
            }
            LOG.warn("weft: the run reached its wall-clock limit of " + format(limitMillis)
                    + "; stopping with " + unfinished.getAsInt() + " unfinished tasks (exit status " + EXIT_STATUS
                    + ")");
            System.exit(EXIT_STATUS);
        }, "weft-wall-clock") {};
        t.setDaemon(true);
        t.start();
    }

    /** {@code 90 s}, {@code 10 min}, {@code 1 h 30 min}. */
    static String format(long millis) {
        long s = (millis + 999) / 1000;
        if (s < 120 && s % 60 != 0) {
            return s + " s";
        }
        long h = s / 3600;
        long m = s % 3600 / 60;
        long rest = s % 60;
        return (h > 0 ? h + " h" : "") + (m > 0 ? (h > 0 ? " " : "") + m + " min" : "")
                + (rest > 0 ? " " + rest + " s" : "");
    }
}
