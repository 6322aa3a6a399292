package io.weft.runtime.master;

import java.util.HashMap;
import java.util.List;

/**
 * How long each implementation of each task took on each kind of node, and the choice that follows: each
 * runnable implementation is tried {@value #TRIALS} times on a kind of node, then the one with the lowest mean
 * time there wins. Analyser thread only; no clocks (times come from the workers' outcomes).
 */
final class ImplementationProfiles {
    /** Runs of each implementation on a kind of node before the fastest is trusted. */
    static final int TRIALS = 3;

    private final HashMap<Key, Profile> profiles = new HashMap<>();

    private record Key(java.lang.reflect.Method task, int implementation, String nodeKind) {}

    private static final class Profile {
        int started;
        int completed;
        long totalNanos;

        double mean() {
            return completed == 0 ? Double.MAX_VALUE : (double) totalNanos / completed;
        }
    }

    /** Chooses among implementations runnable on a node of this kind (never empty). */
    Implementation choose(TaskDefinition task, List<Implementation> runnable, String nodeKind) {
        if (runnable.size() == 1) {
            return runnable.get(0);
        }
        Implementation leastTried = null;
        int fewest = Integer.MAX_VALUE;
        Implementation fastest = null;
        double best = Double.MAX_VALUE;
        for (Implementation impl : runnable) {
            Profile p = profiles.get(new Key(task.method(), impl.index(), nodeKind));
            int started = p == null ? 0 : p.started;
            if (started < fewest) {
                fewest = started;
                leastTried = impl;
            }
            double mean = p == null ? Double.MAX_VALUE : p.mean();
            if (mean < best) {
                best = mean;
                fastest = impl;
            }
        }
        return fewest < TRIALS || fastest == null ? leastTried : fastest;
    }

    /** An implementation was sent to a node of this kind. */
    void started(TaskDefinition task, Implementation impl, String nodeKind) {
        profiles.computeIfAbsent(new Key(task.method(), impl.index(), nodeKind), k -> new Profile()).started++;
    }

    /** An implementation ran successfully for {@code nanos} on a node of this kind. */
    void completed(TaskDefinition task, Implementation impl, String nodeKind, long nanos) {
        Profile p = profiles.computeIfAbsent(new Key(task.method(), impl.index(), nodeKind), k -> new Profile());
        p.completed++;
        p.totalNanos += nanos;
    }

    /** The mean time of an implementation on a kind of node in nanoseconds, or {@code -1} if it never ran there. */
    long meanNanos(TaskDefinition task, Implementation impl, String nodeKind) {
        Profile p = profiles.get(new Key(task.method(), impl.index(), nodeKind));
        return p == null || p.completed == 0 ? -1 : p.totalNanos / p.completed;
    }
}
