package io.weft.runtime.worker.executor;

import java.util.Arrays;

/**
 * The specific resources an attempt holds while it runs: core ids and GPU device ids of its worker, and reserved
 * memory. No two running attempts on a worker share a core or a device. Immutable (the arrays are never changed).
 */
final class Assignment {
    private final int[] cores;
    private final int[] gpus;
    private final long memoryBytes;

    Assignment(int[] cores, int[] gpus, long memoryBytes) {
        this.cores = cores;
        this.gpus = gpus;
        this.memoryBytes = memoryBytes;
    }

    /** The core ids, ascending. */
    int[] cores() {
        return cores.clone();
    }

    /** The GPU device ids, ascending. */
    int[] gpus() {
        return gpus.clone();
    }

    int[] coresUnsafe() {
        return cores;
    }

    int[] gpusUnsafe() {
        return gpus;
    }

    long memoryBytes() {
        return memoryBytes;
    }

    @Override
    public String toString() {
        return "cores " + Arrays.toString(cores) + (gpus.length > 0 ? ", gpus " + Arrays.toString(gpus) : "");
    }
}
