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
     * The GPUs as one command-line argument for a worker process: a device per entry, separated by commas, each
     * {@code name:memoryBytes:vendor} with the text URL-encoded. {@link #parseGpus} reads it back.
     */
    public String gpusArgument() {
        StringBuilder out = new StringBuilder();
        for (Gpu g : gpus) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(encode(g.name())).append(':').append(g.memoryBytes()).append(':').append(encode(g.vendor()));
        }
        return out.toString();
    }

    /**
     * Reads {@link #gpusArgument}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static List<Gpu> parseGpus(String argument) {
        List<Gpu> gpus = new java.util.ArrayList<>();
        if (argument.isBlank()) {
            return gpus;
        }
        for (String entry : argument.split(",")) {
            String[] parts = entry.split(":", -1);
            try {
                if (parts.length != 3) {
                    throw new IllegalArgumentException("not name:memory:vendor");
                }
                gpus.add(new Gpu(decode(parts[0]), Long.parseLong(parts[1]), decode(parts[2])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + entry + "' is not a GPU (name:memoryBytes:vendor)", e);
            }
        }
        return gpus;
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
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
