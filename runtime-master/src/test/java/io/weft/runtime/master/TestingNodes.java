package io.weft.runtime.master;

import io.weft.resources.Architecture;
import io.weft.resources.ComputeNode;
import io.weft.resources.Deployment;
import io.weft.resources.Launch;
import io.weft.resources.OperatingSystem;
import io.weft.resources.Processor;
import io.weft.resources.ProcessorType;
import io.weft.resources.ProjectNode;
import io.weft.resources.Sizes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test fixtures for the hardware model: a {@link ComputeNode} builder, and master-side {@link WorkerNode}s and
 * {@link Cluster}s over them, each worker behind a {@link TestingGateway}.
 */
final class TestingNodes {
    private TestingNodes() {}

    static NodeBuilder node(String name) {
        return new NodeBuilder(name);
    }

    /** A worker for a node: as many task slots and cores as its CPUs have (as for a resources file). */
    static WorkerNode worker(int index, ComputeNode node) {
        Deployment.Worker w = new Deployment.Worker(node, project(node));
        return new WorkerNode(index, w, w.taskSlots(), node.cpuComputingUnits(),
                new TestingGateway(node.name()), 2, null);
    }

    /**
     * A worker with the given task slots and cores, which may differ from its node's CPUs (as in local mode, where
     * the worker has {@code weft.threads} executors whatever the machine has).
     */
    static WorkerNode worker(int index, ComputeNode node, int slots, int cores) {
        return new WorkerNode(index, new Deployment.Worker(node, project(node)), slots, cores,
                new TestingGateway(node.name()), 2, null);
    }

    /**
     * A worker process on another host that mounts no shared disk: it sees none of the master's paths, so files
     * are staged into its own directory and what its tasks write stays there.
     */
    static WorkerNode elsewhere(int index, ComputeNode node, int slots, int cores) {
        return new WorkerNode(index, new Deployment.Worker(node, project(node)), slots, cores,
                new TestingGateway(node.name()), 2, List.of());
    }

    /** The nodes as a run's cluster, indexed in the order given. */
    static Cluster cluster(ComputeNode... nodes) {
        List<WorkerNode> workers = new ArrayList<>();
        for (ComputeNode n : nodes) {
            workers.add(worker(workers.size(), n));
        }
        return new Cluster(workers);
    }

    private static ProjectNode project(ComputeNode node) {
        return new ProjectNode(node.name(), "", Path.of(""), Path.of(System.getProperty("java.io.tmpdir")), "", "",
                "", "", 0, new Launch.Process(), 0, 0);
    }

    /** Builds a compute node; nothing is declared unless set (memory, storage, OS, architecture). */
    static final class NodeBuilder {
        private final String name;
        private final List<Processor> cpus = new ArrayList<>();
        private final List<Processor> others = new ArrayList<>();
        private long memoryBytes = -1;
        private long storageBytes = -1;
        private OperatingSystem os;
        private Set<String> software = Set.of();

        private NodeBuilder(String name) {
            this.name = name;
        }

        /** A CPU socket; {@code architecture} may be {@code null} (not declared). */
        NodeBuilder cpu(String processorName, Architecture architecture, int cores) {
            cpus.add(new Processor(processorName, ProcessorType.CPU, architecture, cores, 0, -1, "", Map.of()));
            return this;
        }

        /** A set of identical NVIDIA GPUs; {@code memoryEach} may be {@code null} (not declared). */
        NodeBuilder gpus(String processorName, int devices, String memoryEach) {
            others.add(new Processor(processorName, ProcessorType.GPU, null, devices, 0,
                    memoryEach == null ? -1 : Sizes.parse(memoryEach), "NVIDIA", Map.of()));
            return this;
        }

        NodeBuilder processor(String processorName, ProcessorType type, int units) {
            (type == ProcessorType.CPU ? cpus : others)
                    .add(new Processor(processorName, type, null, units, 0, -1, "", Map.of()));
            return this;
        }

        NodeBuilder memory(String size) {
            memoryBytes = Sizes.parse(size);
            return this;
        }

        NodeBuilder storage(String size) {
            storageBytes = Sizes.parse(size);
            return this;
        }

        NodeBuilder os(String type) {
            os = new OperatingSystem(type, "", "");
            return this;
        }

        NodeBuilder software(String... names) {
            software = Set.of(names);
            return this;
        }

        ComputeNode build() {
            List<Processor> processors = new ArrayList<>(cpus);
            processors.addAll(others);
            return new ComputeNode(name, processors, memoryBytes, storageBytes, "", os, software, Map.of(), 0, 0, 0,
                    0);
        }
    }
}
