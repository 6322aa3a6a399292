package io.weft.runtime.worker;

/**
 * What one attempt occupies on its worker while it runs: cores, GPUs (each with at least some device memory) and
 * main memory. The worker turns a demand into specific core and device ids. Immutable.
 *
 * @param cores computing units, at least 1
 * @param gpus GPU devices
 * @param gpuMemoryBytes device memory each GPU must have, or {@code 0}
 * @param memoryBytes main memory reserved for it, or {@code 0}
 * @param gpuName the GPUs must be of this model (case-insensitive) if the worker has GPUs of that name, or
 *     {@code ""} for any
 */
public record ResourceDemand(int cores, int gpus, long gpuMemoryBytes, long memoryBytes, String gpuName) {
    /** What a task without constraints occupies: one core. */
    public static final ResourceDemand ONE_CORE = new ResourceDemand(1, 0, 0, 0, "");
}
