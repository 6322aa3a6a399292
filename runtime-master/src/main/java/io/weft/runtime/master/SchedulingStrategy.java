package io.weft.runtime.master;

import java.util.Locale;

/**
 * Decides which ready task runs next, where, and with which implementation. A pure strategy over the ready queue
 * and the cluster's view: no threads, no clocks. Priority tasks always go before the rest, whatever the policy.
 * One decision tries the first task of at most {@value #LOOK_AT} lanes of the ready queue (one lane per task
 * method), so tasks that fit nowhere now cost a bounded time however many wait.
 */
interface SchedulingStrategy {
    int LOOK_AT = 64;

    /** The next placement, its task removed from the queue, or {@code null} if no ready task fits anywhere now. */
    Placement next(ReadyQueue queue, Cluster cluster);

    /**
     * Whether the ready queue is ordered by critical-path rank ({@link CriticalPath}) rather than by the order the
     * tasks became ready.
     */
    default boolean followsCriticalPath() {
        return false;
    }

    /**
     * Whether tasks go where their inputs are: then a task that waits for one task on a worker process is sent there
     * ahead of that task's end, and starts when it ends, with no round trip through the master.
     */
    default boolean followsData() {
        return false;
    }

    /** Ready tasks in the order they became ready, each on the node with the most free cores. */
    SchedulingStrategy FIFO = new Policy(false, false, false);

    /** The newest ready task first (depth-first, keeps the working set small), on the node with most free cores. */
    SchedulingStrategy LIFO = new Policy(true, false, false);

    /**
     * The ready task on the longest remaining path first ({@link CriticalPath}), on the node with the most free
     * cores.
     */
    SchedulingStrategy CRITICAL = new Policy(false, false, true);

    /**
     * The default: the ready task on the longest remaining path first, as {@link #CRITICAL}, each on the node that
     * already holds the most bytes of its inputs (then the one with the most free cores); a task that waits for one
     * task on a worker process goes there ahead of its end ({@link #followsData}).
     */
    SchedulingStrategy LOCALITY = new Policy(false, true, true);

    /**
     * The policies above. Classes rather than lambdas: they load in the runtime's start, while the JVM interprets,
     * where each lambda costs a class spun at run time.
     */
    final class Policy implements SchedulingStrategy {
        private final boolean newestFirst;
        private final boolean locality;
        private final boolean criticalPath;

        private Policy(boolean newestFirst, boolean locality, boolean criticalPath) {
            this.newestFirst = newestFirst;
            this.locality = locality;
            this.criticalPath = criticalPath;
        }

        /**
         * The first of the queue's tasks, oldest or newest first, that fits some node now. Single-core tasks may
         * queue at workers ahead of a free core unless a more demanding task waits (it would starve).
         */
        @Override
        public Placement next(ReadyQueue queue, Cluster cluster) {
            boolean lookAhead = !queue.hasDemanding();
            if (queue.isEmpty() || !cluster.hasRoom(lookAhead)) {
                return null;
            }
            PlaceOn on = new PlaceOn(cluster, locality, lookAhead);
            return queue.take(newestFirst, on, LOOK_AT, on);
        }

        @Override
        public boolean followsCriticalPath() {
            return criticalPath;
        }

        @Override
        public boolean followsData() {
            return locality; // the data-following policy is the one that places by locality
        }
    }

    /** Places a task on the cluster, and says how many of its slots are idle. */
    final class PlaceOn implements java.util.function.Function<TaskNode, Placement>, java.util.function.IntSupplier {
        private final Cluster cluster;
        private final boolean locality;
        private final boolean lookAhead;

        PlaceOn(Cluster cluster, boolean locality, boolean lookAhead) {
            this.cluster = cluster;
            this.locality = locality;
            this.lookAhead = lookAhead;
        }

        @Override
        public Placement apply(TaskNode task) {
            return cluster.place(task, locality, lookAhead);
        }

        @Override
        public int getAsInt() {
            return cluster.idleSlots();
        }
    }

    /** The accepted policy names. */
    String NAMES = "locality, critical, fifo, lifo";

    static SchedulingStrategy named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fifo" -> FIFO;
            case "lifo" -> LIFO;
            case "locality" -> LOCALITY;
            case "critical" -> CRITICAL;
            default -> throw new IllegalArgumentException("unknown scheduler '" + name + "'; expected " + NAMES);
        };
    }
}
