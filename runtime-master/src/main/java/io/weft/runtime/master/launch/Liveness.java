package io.weft.runtime.master.launch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which workers have been heard from recently: a pure record of times, given by the caller (no clock inside), so
 * detection is testable with a manual clock. A worker not heard from for longer than the timeout is overdue, once.
 * Not thread-safe: one thread owns it.
 */
public final class Liveness {
    private final long timeoutNanos;
    private final Map<String, Long> lastHeard = new HashMap<>();

    /** @param timeoutNanos how long a worker may stay silent before it is taken for dead */
    public Liveness(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("a liveness timeout must be positive, got " + timeoutNanos + " ns");
        }
        this.timeoutNanos = timeoutNanos;
    }

    /** A worker said something (joined, or answered a heartbeat) at {@code nowNanos}. */
    public void heard(String worker, long nowNanos) {
        lastHeard.put(worker, nowNanos);
    }

    /** The workers silent for longer than the timeout at {@code nowNanos}; they are forgotten. */
    public List<String> overdue(long nowNanos) {
        List<String> overdue = new ArrayList<>();
        lastHeard.entrySet().removeIf(e -> {
            boolean late = nowNanos - e.getValue() > timeoutNanos;
            if (late) {
                overdue.add(e.getKey());
            }
            return late;
        });
        overdue.sort(null);
        return overdue;
    }

    /** How long a worker may stay silent. */
    public long timeoutMillis() {
        return timeoutNanos / 1_000_000;
    }

    /** A worker that left cleanly: no longer watched. */
    public void forget(String worker) {
        lastHeard.remove(worker);
    }
}
