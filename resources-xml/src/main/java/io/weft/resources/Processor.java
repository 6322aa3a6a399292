package io.weft.resources;

import java.util.Map;

/**
 * One processor of a compute node: a CPU socket, or a set of identical accelerators. Immutable.
 *
 * @param name the processor's name, e.g. {@code Xeon}, {@code Power9}, {@code EPYC}, {@code V100}, {@code MI250}
 * @param type CPU, GPU, FPGA or OTHER
 * @param architecture the architecture, or {@code null} if not declared (accelerators usually do not say)
 * @param computingUnits cores for a CPU; devices for a GPU or other accelerator; at least 1
 * @param speedGhz clock speed in GHz, or {@code 0} if not declared
 * @param memoryBytes device memory of each unit (a GPU's own memory), or {@code -1} if not declared
 * @param vendor the vendor in upper case ({@code NVIDIA}, {@code AMD}, {@code INTEL}…); for a GPU that does not
 *     say, inferred from its name (AMD for {@code MI…}, {@code Instinct}, {@code Radeon}; NVIDIA otherwise)
 * @param properties free key/value properties
 */
public record Processor(
        String name,
        ProcessorType type,
        Architecture architecture,
        int computingUnits,
        double speedGhz,
        long memoryBytes,
        String vendor,
        Map<String, String> properties) {
    public Processor {
        properties = Map.copyOf(properties);
    }

    /** Whether this is a GPU made by AMD (its devices are selected with ROCR/HIP variables, not CUDA ones). */
    public boolean isAmdGpu() {
        return type == ProcessorType.GPU && "AMD".equals(vendor);
    }
}
