package io.weft.runtime.master;

import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.RemoteFile;

import io.weft.api.UnschedulableTaskException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The nodes of the run, with what the master knows of each: static matching of implementations to nodes (once
 * per task definition), the dynamic fit of a task on a node now, and the implementation time profiles.
 *
 * <p>{@link #runnable} may be called by any thread (it reads only immutable node descriptions); everything else
 * belongs to the analyser thread.
 */
final class Cluster {
    final WorkerNode[] nodes;
    /** Which node a placement without locality looks at first; advances at each such placement. */
    private long turn;
    final ImplementationProfiles profiles = new ImplementationProfiles();
    private final ArrayList<Implementation> candidates = new ArrayList<>(4);
    /** Each task method's recent mean run time in nanoseconds, for the look-ahead at workers in other processes. */
    private final java.util.IdentityHashMap<java.lang.reflect.Method, long[]> meanNanos =
            new java.util.IdentityHashMap<>();
    /**
     * The shortest mean run time of a task method (or -1 before any ended): no task queues deeper at a node than
     * tasks of that time may, which bounds the look-ahead {@link #hasRoom} allows.
     */
    private long shortestMean = -1;
    /** The sum of {@link #meanNanos}' means. */
    private long sumOfMeans;
    /** How fast a task's inputs are taken to cross between workers, when weighing a move against a wait. */
    static final long TRANSFER_BYTES_PER_SECOND = 200_000_000L;
    /** Inputs up to this size never keep a task from moving to an idle node. */
    static final long FREE_MOVE_BYTES = 1 << 20;

    Cluster(List<WorkerNode> nodes) {
        this.nodes = nodes.toArray(new WorkerNode[0]);
    }

    /**
     * For each implementation of a task, the nodes that can ever run it.
     *
     * @throws UnschedulableTaskException if no node can run any of them; says which constraints are unmet and
     *     which nodes came closest
     */
    boolean[][] runnable(TaskDefinition def) {
        List<Implementation> impls = def.implementations();
        boolean[][] runnable = new boolean[impls.size()][nodes.length];
        boolean any = false;
        for (int i = 0; i < impls.size(); i++) {
            for (int n = 0; n < nodes.length; n++) {
                runnable[i][n] = unmet(impls.get(i), nodes[n]).isEmpty();
                any |= runnable[i][n];
            }
        }
        if (!any) {
            throw new UnschedulableTaskException(whyUnschedulable(def), def.name());
        }
        return runnable;
    }

    private String whyUnschedulable(TaskDefinition def) {
        StringBuilder sb = new StringBuilder("task ").append(def.name()).append(" cannot run on any node of this run (")
                .append(nodes.length == 1 ? "1 node" : nodes.length + " nodes").append(").");
        for (Implementation impl : def.implementations()) {
            sb.append("\n  ").append(def.implementations().size() == 1 ? "It" : impl.name()).append(" needs ")
                    .append(impl.requirements().describe()).append("; closest ")
                    .append(nodes.length == 1 ? "node" : "nodes").append(':');
            List<WorkerNode> closest = new ArrayList<>(List.of(nodes));
            closest.sort(Comparator.comparingInt((WorkerNode n) -> unmet(impl, n).size())
                    .thenComparingDouble(n -> impl.requirements().shortfall(n.node)));
            for (WorkerNode n : closest.subList(0, Math.min(3, closest.size()))) {
                sb.append("\n    ").append(n.name()).append(": unmet ").append(String.join("; ", unmet(impl, n)));
            }
        }
        return sb.toString();
    }

    /**
     * What a node can never give an implementation: what its hardware lacks, and cores beyond those its worker
     * hands out (fewer than the node's own with the {@code threads} option).
     */
    private static List<String> unmet(Implementation impl, WorkerNode n) {
        List<String> unmet = impl.requirements().unmet(n.node);
        int cores = impl.requirements().computingUnits();
        if (cores > n.cores && cores <= n.node.cpuComputingUnits()) {
            unmet.add("computingUnits = " + cores + " (its worker has " + n.cores + " cores)");
        }
        return unmet;
    }

    /**
     * Where the task fits now, and with which implementation, or {@code null}.
     *
     * @param locality prefer the node holding the most bytes of the task's inputs, rather than the one with the
     *     most free cores
     * @param lookAhead whether single-core tasks may queue at a worker ahead of a free core
     */
    Placement place(TaskNode task, boolean locality, boolean lookAhead) {
        if (task.doomedBy != null || task.groupStop() != null) {
            // It will not run: the analyser cancels or skips it at once, without a node or a reservation.
            if (task.reserved != null) {
                task.reserved.release();
            }
            return new Placement(task, null, null);
        }
        TaskDefinition def = task.definition;
        boolean[][] runnable = def.runnable();
        List<Implementation> impls = def.implementations();
        // Where a task's inputs are matters only when there is more than one node to choose from.
        long[] bytes = locality && nodes.length > 1 ? inputBytes(task) : null;
        WorkerNode best = null;
        Implementation bestImpl = null;
        // Without data locations to go by, equally good nodes take turns: work spreads over the cluster.
        int first = bytes == null && nodes.length > 1 ? (int) (turn++ % nodes.length) : 0;
        long mean = lookAhead ? meanNanos(def) : -1;
        for (int k = 0; k <= nodes.length; k++) {
            WorkerNode n;
            if (k < nodes.length) {
                n = nodes[(first + k) % nodes.length];
                if (n.index == task.withdrawnFrom) {
                    continue; // given back so that another node runs it now; that node only as a last resort
                }
            } else if (best == null && task.withdrawnFrom >= 0) {
                n = nodes[task.withdrawnFrom];
            } else {
                break;
            }
            int depth = lookAhead ? n.depth(mean) : 0;
            candidates.clear();
            for (Implementation impl : impls) {
                if (runnable[impl.index()][n.index] && n.admits(task, impl.requirements(), depth)) {
                    candidates.add(impl);
                }
            }
            if (candidates.isEmpty()) {
                continue;
            }
            if (best == null || better(n, best, bytes)) {
                best = n;
                bestImpl = profiles.choose(def, candidates, n.kind);
            }
        }
        if (best == null) {
            if (task.reserved == null && def.demanding() && !anyReservedFor(task)) {
                reserve(task);
            }
            return null;
        }
        placed(task, best);
        return new Placement(task, best, bestImpl);
    }

    /** A task is placed: the reservation it (or a task of its method) held on that node, and its own, end. */
    private static void placed(TaskNode task, WorkerNode node) {
        if (node.reservedFor(task)) {
            node.release();
        }
        if (task.reserved != null) {
            task.reserved.release();
        }
    }

    private boolean anyReservedFor(TaskNode task) {
        for (WorkerNode n : nodes) {
            if (n.reservedFor(task)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Holds a node back for a demanding task that fits nowhere now: of the nodes that could run it and are not
     * held for another task, the one with the most free cores. Until the task is placed, that node takes other
     * tasks only into what this one leaves free.
     */
    private void reserve(TaskNode task) {
        boolean[][] runnable = task.definition.runnable();
        WorkerNode chosen = null;
        Implementation need = null;
        for (WorkerNode n : nodes) {
            if (n.reservedBy != null) {
                continue;
            }
            for (Implementation impl : task.definition.implementations()) {
                if (runnable[impl.index()][n.index] && !impl.requirements().isPlain()) {
                    if (chosen == null || n.freeCores() > chosen.freeCores()) {
                        chosen = n;
                        need = impl;
                    }
                    break;
                }
            }
        }
        if (chosen != null) {
            chosen.reservedBy = task;
            chosen.reservedNeeds = need.requirements();
            task.reserved = chosen;
        }
    }

    /**
     * Whether some node could take a task now. A task that needs one core is the least any task needs, so when no
     * node admits one, no ready task can be placed and the queue need not be looked at.
     */
    /** How many single-core tasks could start now without queueing, on all nodes. */
    int idleSlots() {
        int idle = 0;
        for (WorkerNode n : nodes) {
            idle += n.idleSlots();
        }
        return idle;
    }

    boolean hasRoom(boolean lookAhead) {
        for (WorkerNode n : nodes) {
            if (n.admits(Requirements.NONE, lookAhead ? n.depth(shortestMean) : 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean better(WorkerNode n, WorkerNode best, long[] bytes) {
        if (bytes != null && bytes[n.index] != bytes[best.index]) {
            return bytes[n.index] > bytes[best.index];
        }
        return n.freeCores() > best.freeCores();
    }

    /** For each node, the estimated bytes of the task's inputs it already holds. */
    private long[] inputBytes(TaskNode task) {
        long[] bytes = new long[nodes.length];
        for (Access a : task.accesses) {
            Version v = a.read;
            if (v == null || a.mode == Mode.WRITE || a.mode == Mode.RESULT) {
                continue;
            }
            if (v.value instanceof Kept k) {
                bytes[k.node()] += Math.max(0, k.bytes()); // where a worker process keeps it
            } else if (v.location >= 0) {
                bytes[v.location] += DataSizes.estimate(v.value, a.handle.kind);
            }
            if (v.copies != null) {
                for (Kept c : v.copies) {
                    bytes[c.node()] += Math.max(0, c.bytes()); // a copy fetched there earlier
                }
            }
        }
        return bytes;
    }

    void sent(Placement p) {
        p.node().sent(p.implementation().requirements());
        if (p.task().definition.implementations().size() > 1) {
            profiles.started(p.task().definition, p.implementation(), p.node().kind);
        }
    }

    /** The recent mean run time of a task's method, in nanoseconds, or {@code -1} before one ended. */
    long meanNanos(TaskDefinition def) {
        long[] mean = meanNanos.get(def.method());
        return mean == null ? -1 : mean[0];
    }

    /**
     * What a task of this method is expected to take, in nanoseconds, for ranking: its recent mean; for a method
     * that has not run yet, the mean of the methods that have; {@value #UNMEASURED_NANOS} before any has.
     */
    long expectedNanos(TaskDefinition def) {
        long mean = meanNanos(def);
        if (mean >= 0) {
            return mean;
        }
        return meanNanos.isEmpty() ? UNMEASURED_NANOS : sumOfMeans / meanNanos.size();
    }

    /** What {@link #expectedNanos} takes before any task has ended. */
    static final long UNMEASURED_NANOS = 1_000_000;

    /**
     * Whether {@code task}, sent to {@code from} and waiting there, should rather run on {@code idle} now: some
     * implementation of it can run there and fits now; it reads and writes no file (a file task's staging is
     * not undone); and the inputs {@code idle} lacks are small, or would cross faster than the task runs.
     */
    boolean worthMoving(TaskNode task, WorkerNode idle) {
        TaskDefinition def = task.definition;
        boolean fits = false;
        for (Implementation impl : def.implementations()) {
            fits |= def.runnable()[impl.index()][idle.index] && idle.admits(task, impl.requirements(), 0);
        }
        if (!fits || task.updatesFileInPlace != null) {
            return false;
        }
        long missing = 0;
        for (Access a : task.accesses) {
            if (a.handle.kind == DataHandle.Kind.FILE) {
                return false;
            }
            Version v = a.read;
            if (v == null || a.mode == Mode.WRITE || a.mode == Mode.RESULT) {
                continue;
            }
            if (v.value instanceof Kept k && k.node() != idle.index && v.copyOn(idle.index) == null) {
                missing += Math.max(0, k.bytes());
            }
        }
        if (missing <= FREE_MOVE_BYTES) {
            return true;
        }
        long mean = meanNanos(def);
        return mean > 0 && missing * 1_000_000_000L / TRANSFER_BYTES_PER_SECOND < mean;
    }

    void ended(TaskNode task, long runNanos, boolean succeeded) {
        task.node.ended(task.implementation.requirements());
        if (succeeded) {
            long[] mean = meanNanos.get(task.definition.method());
            if (mean == null) {
                mean = new long[] {-1};
                meanNanos.put(task.definition.method(), mean);
            }
            // A moving mean: recent runs count most, and one long run does not set the look-ahead for good.
            long before = Math.max(0, mean[0]);
            mean[0] = mean[0] < 0 ? runNanos : mean[0] + (runNanos - mean[0]) / 8;
            sumOfMeans += mean[0] - before;
            if (shortestMean < 0 || mean[0] < shortestMean) {
                shortestMean = mean[0];
            }
        }
        if (succeeded && task.definition.implementations().size() > 1) {
            profiles.completed(task.definition, task.implementation, task.node.kind, runNanos);
        }
    }
}
