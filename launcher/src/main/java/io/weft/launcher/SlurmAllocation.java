package io.weft.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What SLURM allocated to a job, as its batch script sees it: the nodes in order (the first runs the script and the
 * master), the CPUs of each, and the memory and GPUs of each node. Immutable; made from the job's environment by
 * {@link #of}, and checked against what was asked by {@link #requireAtLeast}.
 *
 * @param nodes the node names, as {@code scontrol show hostnames} expands {@code SLURM_JOB_NODELIST}
 * @param cpus the CPUs allocated on each node, in the same order
 * @param memoryMb the memory allocated on each node in MiB, or -1 when the job did not ask for any
 * @param gpus the GPUs allocated on each node
 */
record SlurmAllocation(List<String> nodes, List<Integer> cpus, long memoryMb, int gpus) {
    private static final Pattern GROUP = Pattern.compile("(\\d+)(?:\\(x(\\d+)\\))?");

    SlurmAllocation {
        nodes = List.copyOf(nodes);
        cpus = List.copyOf(cpus);
        if (nodes.size() != cpus.size()) {
            throw new LauncherException("SLURM_JOB_CPUS_PER_NODE gives the CPUs of " + cpus.size() + " nodes, but the"
                    + " job has " + nodes.size() + " (" + String.join(",", nodes) + ")");
        }
    }

    /**
     * The allocation described by a batch script's environment.
     *
     * @param nodes the job's nodes, expanded
     * @param env the environment ({@code SLURM_JOB_CPUS_PER_NODE}, {@code SLURM_MEM_PER_NODE},
     *     {@code SLURM_MEM_PER_CPU}, {@code SLURM_GPUS_ON_NODE})
     * @param gpusAsked the GPUs per node the job asked for, used when SLURM does not say
     */
    static SlurmAllocation of(List<String> nodes, Map<String, String> env, int gpusAsked) {
        String spec = env.get("SLURM_JOB_CPUS_PER_NODE");
        if (spec == null || spec.isBlank()) {
            throw new LauncherException("SLURM_JOB_CPUS_PER_NODE is not set: this must run inside a SLURM job");
        }
        List<Integer> cpus = cpusPerNode(spec);
        long memory = -1;
        String perNode = env.get("SLURM_MEM_PER_NODE");
        String perCpu = env.get("SLURM_MEM_PER_CPU");
        if (perNode != null && perNode.matches("\\d+") && Long.parseLong(perNode) > 0) {
            memory = Long.parseLong(perNode);
        } else if (perCpu != null && perCpu.matches("\\d+") && !cpus.isEmpty()) {
            // Per CPU: what the node with the fewest CPUs has, so that no node claims more than it got.
            memory = Long.parseLong(perCpu) * cpus.stream().mapToInt(Integer::intValue).min().getAsInt();
        }
        int gpus = gpusAsked;
        String onNode = env.get("SLURM_GPUS_ON_NODE");
        if (onNode != null && onNode.matches("\\d+")) {
            gpus = Integer.parseInt(onNode);
        }
        return new SlurmAllocation(nodes, cpus, memory, gpus);
    }

    /** {@code SLURM_JOB_CPUS_PER_NODE}, e.g. {@code 2(x3),1}: the CPUs of each node, in order. */
    static List<Integer> cpusPerNode(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String group : spec.trim().split(",")) {
            Matcher m = GROUP.matcher(group.trim());
            if (!m.matches()) {
                throw new LauncherException("SLURM_JOB_CPUS_PER_NODE=" + spec + ": cannot read '" + group
                        + "'; expected counts such as 2(x3),1");
            }
            int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            for (int i = 0; i < count; i++) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }

    /**
     * Checks that SLURM gave at least what the job asked for.
     *
     * @throws LauncherException saying what was asked and what came
     */
    SlurmAllocation requireAtLeast(int nodesAsked, int cpusAsked, long memoryMbAsked, int gpusAsked) {
        if (nodes.size() < nodesAsked) {
            throw new LauncherException("SLURM allocated " + nodes.size() + " nodes (" + String.join(",", nodes)
                    + "), fewer than the " + nodesAsked + " asked for (--nodes " + nodesAsked + ")");
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (cpus.get(i) < cpusAsked) {
                throw new LauncherException("SLURM allocated " + cpus.get(i) + " CPUs on " + nodes.get(i)
                        + ", fewer than the " + cpusAsked + " asked for (--cpus-per-node " + cpusAsked + ")");
            }
        }
        if (memoryMbAsked > 0 && memoryMb >= 0 && memoryMb < memoryMbAsked) {
            throw new LauncherException("SLURM allocated " + memoryMb + " MiB per node, less than the "
                    + memoryMbAsked + " MiB asked for (--node-memory)");
        }
        if (gpus < gpusAsked) {
            throw new LauncherException("SLURM allocated " + gpus + " GPUs per node, fewer than the " + gpusAsked
                    + " asked for (--gpus-per-node " + gpusAsked + ")");
        }
        return this;
    }
}
