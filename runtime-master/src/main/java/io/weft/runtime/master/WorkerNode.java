package io.weft.runtime.master;

import io.weft.resources.ComputeNode;
import io.weft.resources.Deployment;
import io.weft.runtime.worker.WorkerGateway;

/**
 * A node of the run as the master sees it: its hardware, the gateway to its worker, and what the tasks sent
 * there and not yet ended occupy. Analyser thread only, except the immutable fields.
 *
 * <p>A task that needs more than one core, or GPUs, or memory, is sent only when everything sent there still fits
 * at once, so the worker can start it as soon as an executor is free. Tasks that need one core may queue at the
 * worker ahead of a free core (up to twice its task slots), so executors never wait for the master between two
 * short tasks; that look-ahead is off while a more demanding task waits to be placed, so it cannot starve.
 */
final class WorkerNode {
    final int index;
    final ComputeNode node;
    final WorkerGateway gateway;
    /** Nodes with the same hardware share a kind, and so their implementation time profiles. */
    final String kind;
    final int slots;
    final int cores;
    final int gpus;
    final long memoryBytes;

    int sentTasks;
    int sentCores;
    int sentGpus;
    long sentMemory;

    WorkerNode(int index, Deployment.Worker worker, int slots, int cores, WorkerGateway gateway) {
        this.index = index;
        this.node = worker.node();
        this.gateway = gateway;
        this.kind = node.processors().toString() + "/" + node.memoryBytes();
        this.slots = slots;
        this.cores = cores;
        this.gpus = node.gpuCount();
        this.memoryBytes = node.memoryBytes();
    }

    String name() {
        return node.name();
    }

    /** Whether a task with these requirements may be sent now. */
    boolean admits(Requirements r, boolean lookAhead) {
        if (r.isPlain()) {
            if (sentTasks < slots && sentCores < cores) {
                return true;
            }
            return lookAhead && sentTasks < 2 * slots;
        }
        return sentTasks < slots && sentCores + r.computingUnits() <= cores
                && sentGpus + r.gpus() <= gpusWith(r.gpuMemoryBytes())
                && (r.memoryBytes() == 0 || sentMemory + r.memoryBytes() <= memoryBytes);
    }

    /**
     * GPUs with at least that much memory. The master does not know which devices the worker gave the tasks sent
     * here, so it counts each of them as holding one of these: safe (the worker can always start what is sent),
     * if cautious on a node whose GPUs differ.
     */
    private int gpusWith(long memory) {
        if (memory == 0) {
            return gpus;
        }
        int n = 0;
        for (io.weft.resources.Processor p : node.processors()) {
            if (p.type() == io.weft.resources.ProcessorType.GPU && p.memoryBytes() >= memory) {
                n += p.computingUnits();
            }
        }
        return n;
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
