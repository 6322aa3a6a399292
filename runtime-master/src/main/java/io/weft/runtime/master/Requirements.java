package io.weft.runtime.master;

import io.weft.api.Constraint;
import io.weft.resources.Architecture;
import io.weft.resources.ComputeNode;
import io.weft.resources.Processor;
import io.weft.resources.ProcessorType;
import io.weft.resources.Sizes;
import io.weft.runtime.worker.ResourceDemand;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one implementation of a task needs from a node, read from its {@link Constraint} with {@code ${ENV}}
 * references expanded. Immutable.
 *
 * <p>Matching is static ({@link #unmet}: can the node ever run it) and dynamic (the {@link #demand()} its worker
 * must have free now, reserved while it runs). Every requirement must hold; a node that does not declare
 * something a requirement names (its memory, say) does not satisfy it.
 *
 * @param computingUnits cores, at least 1
 * @param memoryBytes main memory, or {@code 0}
 * @param architecture the architecture, or {@code null}
 * @param processorType a processor of this type must be present, or {@code null}
 * @param processorName a processor of this name must be present (case-insensitive), or {@code ""}
 * @param gpus GPU devices
 * @param gpuMemoryBytes memory each of those GPUs must have, or {@code 0}
 * @param software software names that must all be installed (case-insensitive)
 * @param operatingSystem the operating system type (case-insensitive), or {@code ""}
 * @param storageBytes local storage, or {@code 0}
 */
record Requirements(
        int computingUnits,
        long memoryBytes,
        Architecture architecture,
        ProcessorType processorType,
        String processorName,
        int gpus,
        long gpuMemoryBytes,
        List<String> software,
        String operatingSystem,
        long storageBytes) {

    /** No constraint: one core. */
    static final Requirements NONE = new Requirements(1, 0, null, null, "", 0, 0, List.of(), "", 0);

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /**
     * Reads a constraint; {@code null} means none.
     *
     * @param environment looks up environment variables
     * @throws IllegalArgumentException naming the field, the value found and what is accepted
     */
    static Requirements of(Constraint c, Function<String, String> environment) {
        if (c == null) {
            return NONE;
        }
        if (c.computingUnits() < 1) {
            throw new IllegalArgumentException("computingUnits = " + c.computingUnits() + ": must be at least 1");
        }
        if (c.gpus() < 0) {
            throw new IllegalArgumentException("gpus = " + c.gpus() + ": must not be negative");
        }
        String arch = expand("processorArchitecture", c.processorArchitecture(), environment);
        String type = expand("processorType", c.processorType(), environment);
        long gpuMemory = size("gpuMemory", c.gpuMemory(), expand("gpuMemory", c.gpuMemory(), environment));
        List<String> software = Arrays.stream(expand("software", c.software(), environment).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Requirements(
                c.computingUnits(),
                size("memory", c.memory(), expand("memory", c.memory(), environment)),
                arch.isEmpty() ? null : Architecture.parse(arch).orElseThrow(() -> new IllegalArgumentException(
                        "processorArchitecture = \"" + arch + "\"" + from(c.processorArchitecture(), arch)
                                + ": unknown; expected " + Architecture.accepted())),
                type.isEmpty() ? null : ProcessorType.parse(type).orElseThrow(() -> new IllegalArgumentException(
                        "processorType = \"" + type + "\"" + from(c.processorType(), type) + ": unknown; expected "
                                + ProcessorType.accepted())),
                expand("processorName", c.processorName(), environment).trim(),
                // Asking for GPU memory, or for a processor of type GPU, asks for a GPU.
                c.gpus() == 0 && (gpuMemory > 0 || type.trim().equalsIgnoreCase("GPU")) ? 1 : c.gpus(),
                gpuMemory,
                software,
                expand("operatingSystem", c.operatingSystem(), environment).trim(),
                size("storage", c.storage(), expand("storage", c.storage(), environment)));
    }

    /** Replaces {@code ${NAME}} (or {@code ${NAME:-default}}) with the variable's value. */
    static String expand(String field, String value, Function<String, String> environment) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = environment.apply(m.group(1));
            if (v == null) {
                v = m.group(2);
            }
            if (v == null) {
                throw new IllegalArgumentException(field + " = \"" + value + "\": environment variable " + m.group(1)
                        + " is not set (write ${" + m.group(1) + ":-default} to give a default)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static long size(String field, String raw, String value) {
        if (value.isBlank()) {
            return 0;
        }
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " = \"" + value + "\"" + from(raw, value) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where an expanded value came from, when it differs from what was written. */
    private static String from(String raw, String expanded) {
        return raw.equals(expanded) ? "" : " (from \"" + raw + "\")";
    }

    /** What the worker must hold for it while it runs. */
    ResourceDemand demand() {
        return isPlain() ? ResourceDemand.ONE_CORE
                : new ResourceDemand(computingUnits, gpus, gpuMemoryBytes, memoryBytes, gpus > 0 ? processorName : "");
    }

    /** Whether it asks for nothing but one core: such tasks may queue on a worker ahead of a free core. */
    boolean isPlain() {
        return computingUnits == 1 && gpus == 0 && memoryBytes == 0;
    }

    /**
     * The requirements a node can never satisfy, each as {@code field = wanted (node has …)}; empty if it can run
     * the implementation.
     */
    List<String> unmet(ComputeNode node) {
        List<String> unmet = new ArrayList<>(0);
        if (computingUnits > node.cpuComputingUnits()) {
            unmet.add("computingUnits = " + computingUnits + " (has " + node.cpuComputingUnits() + " CPU cores)");
        }
        if (memoryBytes > 0 && memoryBytes > node.memoryBytes()) {
            unmet.add("memory = " + Sizes.format(memoryBytes) + " (has " + declared(node.memoryBytes()) + ")");
        }
        if (architecture != null && architecture != node.architecture()) {
            unmet.add("processorArchitecture = " + architecture + " (is "
                    + (node.architecture() == null ? "not declared" : node.architecture()) + ")");
        }
        if (processorType != null && !processorName.isEmpty()) {
            if (node.processors().stream().noneMatch(p -> p.type() == processorType
                    && p.name().equalsIgnoreCase(processorName))) {
                unmet.add("processorType = " + processorType + " and processorName = " + processorName
                        + ", one processor (has " + node.processors().stream().map(p -> p.type() + " " + p.name())
                                .toList() + ")");
            }
        } else if (processorType != null && node.processors().stream().noneMatch(p -> p.type() == processorType)) {
            unmet.add("processorType = " + processorType + " (has " + processorTypes(node) + ")");
        } else if (!processorName.isEmpty()
                && node.processors().stream().noneMatch(p -> p.name().equalsIgnoreCase(processorName))) {
            unmet.add("processorName = " + processorName + " (has "
                    + node.processors().stream().map(Processor::name).toList() + ")");
        }
        if (gpus > 0) {
            int fitting = fittingGpus(node);
            if (fitting < gpus) {
                boolean named = fitting != fittingGpus(node, gpuMemoryBytes, "");
                String which = (gpuMemoryBytes > 0 ? " with that much memory" : "") + (named ? ", " + processorName
                        : "");
                unmet.add("gpus = " + gpus + (gpuMemoryBytes > 0 ? " with " + Sizes.format(gpuMemoryBytes) + " each"
                        : "") + (named ? " of model " + processorName : "") + " (has " + node.gpuCount()
                        + (fitting != node.gpuCount() ? ", " + fitting + " of them" + which : "") + ")");
            }
        }
        for (String s : software) {
            if (node.software().stream().noneMatch(installed -> installed.equalsIgnoreCase(s))) {
                unmet.add("software = " + s + " (has " + (node.software().isEmpty() ? "none declared"
                        : node.software().stream().sorted().toList()) + ")");
            }
        }
        if (!operatingSystem.isEmpty() && (node.operatingSystem() == null
                || !node.operatingSystem().type().equalsIgnoreCase(operatingSystem))) {
            unmet.add("operatingSystem = " + operatingSystem + " (is "
                    + (node.operatingSystem() == null ? "not declared" : node.operatingSystem().type()) + ")");
        }
        if (storageBytes > 0 && storageBytes > node.storageBytes()) {
            unmet.add("storage = " + Sizes.format(storageBytes) + " (has " + declared(node.storageBytes()) + ")");
        }
        return unmet;
    }

    /**
     * How far a node is from satisfying the quantities asked for (cores, memory, GPUs, storage): for each, the
     * missing fraction, from 0 (enough) to 1 (none). Ranks nodes that miss the same number of requirements.
     */
    double shortfall(ComputeNode node) {
        return missing(computingUnits, node.cpuComputingUnits()) + missing(memoryBytes, node.memoryBytes())
                + missing(gpus, fittingGpus(node)) + missing(storageBytes, node.storageBytes());
    }

    private static double missing(double wanted, double has) {
        return wanted <= 0 || has >= wanted ? 0 : 1 - Math.max(0, has) / wanted;
    }

    private int fittingGpus(ComputeNode node) {
        return fittingGpus(node, gpuMemoryBytes, gpus > 0 ? processorName : "");
    }

    /**
     * The node's GPU devices with at least {@code memory} bytes each, of the model {@code name} if the node has
     * GPUs of that name (a name that is not a GPU's, {@code Power9} say, does not narrow the choice).
     */
    static int fittingGpus(ComputeNode node, long memory, String name) {
        boolean byName = !name.isEmpty() && node.processors().stream()
                .anyMatch(p -> p.type() == ProcessorType.GPU && p.name().equalsIgnoreCase(name));
        return node.processors().stream().filter(p -> p.type() == ProcessorType.GPU)
                .filter(p -> memory == 0 || p.memoryBytes() >= memory)
                .filter(p -> !byName || p.name().equalsIgnoreCase(name))
                .mapToInt(Processor::computingUnits).sum();
    }

    private static String processorTypes(ComputeNode node) {
        return node.processors().stream().map(p -> p.type().name()).distinct().toList().toString();
    }

    private static String declared(long bytes) {
        return bytes < 0 ? "none declared" : Sizes.format(bytes);
    }

    /** The constraint as the user would write it, for messages. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (computingUnits != 1) {
            parts.add("computingUnits = " + computingUnits);
        }
        if (memoryBytes > 0) {
            parts.add("memory = " + Sizes.format(memoryBytes));
        }
        if (architecture != null) {
            parts.add("processorArchitecture = " + architecture);
        }
        if (processorType != null) {
            parts.add("processorType = " + processorType);
        }
        if (!processorName.isEmpty()) {
            parts.add("processorName = " + processorName);
        }
        if (gpus > 0) {
            parts.add("gpus = " + gpus);
        }
        if (gpuMemoryBytes > 0) {
            parts.add("gpuMemory = " + Sizes.format(gpuMemoryBytes));
        }
        if (!software.isEmpty()) {
            parts.add("software = " + String.join(",", software));
        }
        if (!operatingSystem.isEmpty()) {
            parts.add("operatingSystem = " + operatingSystem);
        }
        if (storageBytes > 0) {
            parts.add("storage = " + Sizes.format(storageBytes));
        }
        return parts.isEmpty() ? "no constraint" : String.join(", ", parts);
    }

    @Override
    public String toString() {
        return describe();
    }
}
