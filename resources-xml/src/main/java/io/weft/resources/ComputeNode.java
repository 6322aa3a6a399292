package io.weft.resources;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A machine that can run tasks, as {@code resources.xml} describes it. Immutable.
 *
 * @param name the node's name, unique in the file; {@code project.xml} refers to it
 * @param processors its processors, at least one; CPUs first in declaration order, then the others
 * @param memoryBytes main memory, or {@code -1} if not declared
 * @param storageBytes local storage, or {@code -1} if not declared
 * @param storageType e.g. {@code SSD}, or {@code ""}
 * @param operatingSystem the operating system, or {@code null} if not declared
 * @param software names of the software installed (compared case-insensitively)
 * @param sharedDisks the shared disks mounted on it: disk name to mount point
 * @param minPort the lowest port a worker on it may listen on, or {@code 0} if not declared
 * @param maxPort the highest such port, or {@code 0}
 * @param line the line of its element in the file it came from ({@code 0} if it was not read from a file)
 * @param column the column there
 */
public record ComputeNode(
        String name,
        List<Processor> processors,
        long memoryBytes,
        long storageBytes,
        String storageType,
        OperatingSystem operatingSystem,
        Set<String> software,
        Map<String, String> sharedDisks,
        int minPort,
        int maxPort,
        int line,
        int column) {
    public ComputeNode {
        processors = List.copyOf(processors);
        software = Set.copyOf(software);
        sharedDisks = Map.copyOf(sharedDisks);
    }

    /** Cores of all its CPU processors. */
    public int cpuComputingUnits() {
        return computingUnits(ProcessorType.CPU);
    }

    /** Its GPU devices, counted over all its GPU processors. */
    public int gpuCount() {
        return computingUnits(ProcessorType.GPU);
    }

    // A loop rather than a stream: the runtime's start asks, while the JVM still interprets its first classes.
    private int computingUnits(ProcessorType type) {
        int sum = 0;
        for (Processor p : processors) {
            if (p.type() == type) {
                sum += p.computingUnits();
            }
        }
        return sum;
    }

    /**
     * The node's architecture: the one its CPU processors declare (or its first processor that declares one), or
     * {@code null} if none does.
     */
    public Architecture architecture() {
        for (Processor p : processors) {
            if (p.type() == ProcessorType.CPU && p.architecture() != null) {
                return p.architecture();
            }
        }
        for (Processor p : processors) {
            if (p.architecture() != null) {
                return p.architecture();
            }
        }
        return null;
    }
}
