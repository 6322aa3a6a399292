package io.weft.runtime.master;

import io.weft.resources.ComputeNode;
import io.weft.resources.Deployment;
import io.weft.resources.Processor;
import io.weft.runtime.master.gateway.WorkerGateway;

import java.util.TreeMap;

/**
 * A node of the run as the master sees it: its hardware, the gateway to its worker, and what the tasks sent
 * there and not yet ended occupy. Analyser thread only, except the immutable fields.
 *
 * <p>A task that needs more than one core, or GPUs, or memory, is sent only when everything sent there still fits
 * at once, so the worker can start it as soon as an executor is free. Tasks that need one core may queue at the
 * worker ahead of a free core, so executors never wait for the master between two short tasks: for a worker in this
 * process, up to one more per task slot; for a worker in another process, as many per slot as cover
 * {@link #PREFETCH_NANOS} at the task's measured mean time (one at least, {@link #queued} at most), so short tasks
 * queue deeper than long ones. That look-ahead is off while a more demanding task waits to be placed; and what
 * waits at a worker while another has a free core is withdrawn and sent there (see {@code Analyser#balance}).
 *
 * <p>A demanding task that fits nowhere now may <em>reserve</em> a node: from then on the node takes other tasks
 * only into what the reserving task leaves free (backfilling), so tasks that keep arriving cannot keep it from
 * ever fitting.
 */
final class WorkerNode {
    /** The work a worker in another process may have queued per task slot, at the tasks' mean times. */
    static final long PREFETCH_NANOS = 2_000_000;
    final int index;
    final ComputeNode node;
    /** The gateway to its worker; {@code null} while the worker process starts (nothing is sent here then). */
    WorkerGateway gateway;
    /** Nodes with the same hardware share a kind, and so their implementation time profiles. */
    final String kind;
    final int slots;
    /** Tasks sent ahead here that wait for the end of a task they depend on ({@code TaskNode#behind}). */
    int heldAhead;
    final int cores;
    final int gpus;
    final long memoryBytes;
    /**
     * The mount points of shared disks through which this node sees the master's files, or {@code null} if it sees
     * every path the master does (it runs on the master's host).
     */
    private final java.util.List<String> mounts;

    /** The task this node is held back for, and what it needs here; {@code null} when not reserved. */
    TaskNode reservedBy;
    Requirements reservedNeeds;

    /** Why the node's worker was lost, or {@code null} while it serves. */
    String lost;

    /**
     * How many single-core tasks per task slot may be sent at most, running and queued: 2 for an in-process
     * worker; more for a worker process, so a round trip to the master does not leave its executors waiting
     * between short tasks.
     */
    final int queued;

    /** The tasks sent here, in the order sent; those no longer here are dropped from the front as they end. */
    final java.util.ArrayDeque<TaskNode> sentOrder = new java.util.ArrayDeque<>();
    /** Whether the worker was asked to give back queued tasks and has not answered yet. */
    boolean withdrawing;
    /** How many tasks withdrawn from other nodes for this one are on their way back to the master. */
    int expecting;

    int sentTasks;
    int sentCores;
    int sentGpus;
    long sentMemory;

    /**
     * @param gateway the gateway to its worker, or {@code null} if the worker still starts ({@link #serves} later)
     * @param queued how many single-core tasks per task slot may be sent ahead
     * @param mounts the mount points of the shared disks through which the node sees the master's files, or
     *     {@code null} if it sees every path the master does
     */
    WorkerNode(int index, Deployment.Worker worker, int slots, int cores, WorkerGateway gateway, int queued,
            java.util.List<String> mounts) {
        this.index = index;
        this.node = worker.node();
        this.gateway = gateway;
        this.kind = kindOf(node);
        this.slots = slots;
        this.cores = cores;
        this.gpus = node.gpuCount();
        this.memoryBytes = node.memoryBytes();
        this.queued = queued;
        this.mounts = mounts;
    }

    /**
     * What nodes share implementation profiles: the same processors and memory. Spelled out rather than taken
     * from the records' {@code toString}, whose first call spins some 60 method-handle classes (about 20 ms of the
     * runtime's start, in a JVM still interpreting).
     */
    static String kindOf(ComputeNode node) {
        StringBuilder b = new StringBuilder();
        for (Processor p : node.processors()) {
            b.append(p.name()).append('|').append(p.type()).append('|').append(p.architecture()).append('|')
                    .append(p.computingUnits()).append('|').append(p.speedGhz()).append('|').append(p.memoryBytes())
                    .append('|').append(p.vendor()).append('|').append(new TreeMap<>(p.properties()))
                    .append(';');
        }
        return b.append(node.memoryBytes()).toString();
    }

    /** Whether a task here reads and writes the master's file at {@code path} as it is, with no transfer. */
    boolean sees(String path) {
        if (mounts == null) {
            return true;
        }
        for (String m : mounts) {
            String prefix = m.endsWith("/") ? m : m + "/";
            if (path.startsWith(prefix) || path.equals(m)) {
                return true;
            }
        }
        return false;
    }

    String name() {
        return node.name();
    }

    /**
     * Whether the node is held back for this task, or for another of the same method (same needs, and whichever of
     * them comes first in the ready queue may use it).
     */
    boolean reservedFor(TaskNode task) {
        return reservedBy != null && reservedBy.definition.method().equals(task.definition.method());
    }

    /** Gives up the reservation. */
    void release() {
        if (reservedBy != null) {
            reservedBy.reserved = null;
            reservedBy = null;
            reservedNeeds = null;
        }
    }

    /**
     * How many single-core tasks per task slot may be here at once with look-ahead, for tasks that take
     * {@code meanNanos} on average ({@code -1}: not known yet): enough to cover {@link #PREFETCH_NANOS}, at least
     * 2 and at most {@link #queued} (so always 2 for a worker in this process).
     */
    int depth(long meanNanos) {
        long extra = meanNanos < 0 ? 1 : Math.max(1, (PREFETCH_NANOS + meanNanos - 1) / Math.max(1, meanNanos));
        return (int) Math.min(queued, 1 + extra);
    }

    /** How many more single-core tasks could start here now without queueing. */
    int idleSlots() {
        return lost != null || gateway == null ? 0 : Math.max(0, Math.min(slots - sentTasks, cores - sentCores));
    }

    /** How many of the tasks sent here are beyond its task slots: at least this many wait in its queue. */
    int queuedBeyondSlots() {
        return Math.max(0, sentTasks - slots);
    }

    /** Whether {@code task}, with these requirements, may be sent now. */
    boolean admits(TaskNode task, Requirements r, int depth) {
        if (lost != null || gateway == null) {
            return false;
        }
        if (reservedBy != null && !reservedFor(task)) {
            // Only into what the reserving task leaves free.
            Requirements need = reservedNeeds;
            // GPUs and memory are checked only for a task that asks for them: one that does not can use the cores
            // the reserving task leaves free while it waits for devices.
            return sentTasks + 1 < slots && sentCores + r.computingUnits() + need.computingUnits() <= cores
                    && (r.gpus() == 0 || sentGpus + r.gpus() + need.gpus() <= Math.min(gpusFor(r), gpusFor(need)))
                    && (r.memoryBytes() == 0 || sentMemory + r.memoryBytes() + need.memoryBytes() <= memoryBytes);
        }
        return admits(r, depth);
    }

    /**
     * Whether a task with these requirements may be sent now, reservations aside.
     *
     * @param depth how many single-core tasks per task slot may be here at once, running and queued; 0 for no
     *     look-ahead
     */
    boolean admits(Requirements r, int depth) {
        if (lost != null || gateway == null) {
            return false;
        }
        if (r.isPlain()) {
            if (sentTasks < slots && sentCores < cores) {
                return true;
            }
            return sentTasks < Math.min(depth, queued) * slots;
        }
        return sentTasks < slots && sentCores + r.computingUnits() <= cores
                && sentGpus + r.gpus() <= gpusFor(r)
                && (r.memoryBytes() == 0 || sentMemory + r.memoryBytes() <= memoryBytes);
    }

    /**
     * GPUs of the memory and model the requirements ask for. The master does not know which devices the worker
     * gave the tasks sent here, so it counts each of them as holding one of these: safe (the worker can always
     * start what is sent), if cautious on a node whose GPUs differ.
     */
    private int gpusFor(Requirements r) {
        if (r.gpus() == 0) {
            return gpus;
        }
        return Requirements.fittingGpus(node, r.gpuMemoryBytes(), r.processorName());
    }

    /** Cores not taken by tasks sent here (negative while plain tasks queue ahead). */
    int freeCores() {
        return cores - sentCores;
    }

    void sent(Requirements r) {
        sentTasks++;
        sentCores += r.computingUnits();
        sentGpus += r.gpus();
        sentMemory += r.memoryBytes();
    }

    void ended(Requirements r) {
        sentTasks--;
        sentCores -= r.computingUnits();
        sentGpus -= r.gpus();
        sentMemory -= r.memoryBytes();
    }

    @Override
    public String toString() {
        return name();
    }
}
