package io.weft.runtime.worker;

import java.util.List;

/**
 * The resources a worker hands out to the attempts it runs. Immutable.
 *
 * @param cores computing units, numbered from 0
 * @param gpus its GPU devices, numbered from 0 in this order
 * @param memoryBytes main memory that tasks may reserve, or {@code -1} if not known (then not accounted)
 */
public record WorkerResources(int cores, List<Gpu> gpus, long memoryBytes) {
    public WorkerResources {
        gpus = List.copyOf(gpus);
    }

    /** Just cores: the local machine without declared accelerators. */
    public static WorkerResources cores(int cores) {
        return new WorkerResources(cores, List.of(), -1);
    }

    /**
     * One GPU device.
     *
     * @param name its model, as the resources file names its processor (e.g. {@code V100})
     * @param memoryBytes its memory, or {@code -1} if not known
     * @param vendor {@code NVIDIA}, {@code AMD}, …: says which environment variables select it
     */
    public record Gpu(String name, long memoryBytes, String vendor) {
        /** Whether CUDA sees it. */
        public boolean isNvidia() {
            return vendor.toUpperCase(java.util.Locale.ROOT).contains("NVIDIA");
        }

        /** Whether ROCm sees it. */
        public boolean isAmd() {
            String v = vendor.toUpperCase(java.util.Locale.ROOT);
            return v.equals("AMD") || v.contains("ADVANCED MICRO");
        }
    }
}
