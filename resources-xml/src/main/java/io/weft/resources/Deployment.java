package io.weft.resources;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes one run uses: each worker node of the project with its hardware from the resources. Immutable.
 *
 * @param resources what hardware exists
 * @param project what this run may use
 * @param workers the project's worker nodes paired with their hardware, in project order
 */
public record Deployment(Resources resources, Project project, List<Worker> workers) {
    public Deployment {
        workers = List.copyOf(workers);
    }

    /**
     * A worker node of the run.
     *
     * @param node its hardware
     * @param settings how the run uses it
     */
    public record Worker(ComputeNode node, ProjectNode settings) {
        /** How many tasks may run on it at once: its cores, or the project's limit if lower. */
        public int taskSlots() {
            int cores = Math.max(1, node.cpuComputingUnits());
            return settings.limitOfTasks() > 0 ? Math.min(cores, settings.limitOfTasks()) : cores;
        }
    }

    /**
     * Reads, validates and pairs the two files.
     *
     * @param resourcesFile the {@code resources.xml}
     * @param projectFile the {@code project.xml}, or {@code null} to use every node of the resources file
     * @throws ResourcesFileException if either file is wrong, or they do not agree
     */
    public static Deployment load(Path resourcesFile, Path projectFile) throws ResourcesFileException {
        Resources resources = ResourcesFiles.readResources(resourcesFile);
        Project project = projectFile == null ? everyNode(resources) : ResourcesFiles.readProject(projectFile);
        return pair(resources, project, projectFile);
    }

    /** The default: the machine this JVM runs on, as it describes itself, used whole. */
    public static Deployment local(LocalMachine machine) {
        return onThisMachine(machine, List.of("localhost"));
    }

    /**
     * A local cluster: {@code workers} nodes named {@code worker1}, {@code worker2}… on this machine, each with
     * {@code machine}'s computing units and memory, started as local processes.
     */
    public static Deployment localCluster(LocalMachine machine, int workers) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            names.add("worker" + i);
        }
        return onThisMachine(machine, names);
    }

    /** Nodes of these names, each described as {@code machine}, every one used. */
    private static Deployment onThisMachine(LocalMachine machine, List<String> names) {
        List<ComputeNode> nodes = new java.util.ArrayList<>();
        for (String name : names) {
            Processor cpu = new Processor("MainProcessor", ProcessorType.CPU,
                    Architecture.parse(machine.architecture()).orElse(null), machine.computingUnits(), 0, -1, "",
                    Map.of());
            nodes.add(new ComputeNode(name, List.of(cpu), machine.memoryBytes(), -1, "",
                    new OperatingSystem(machine.operatingSystem(), "", ""), Set.of(), Map.of(), 0, 0, 0, 0));
        }
        Resources resources = new Resources(nodes, List.of());
        Project project = everyNode(resources);
        List<Worker> workers = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            workers.add(new Worker(nodes.get(i), project.nodes().get(i)));
        }
        return new Deployment(resources, project, workers);
    }

    /** A project that uses every node of the resources, started as local processes in a temporary directory. */
    static Project everyNode(Resources resources) {
        Path work = Path.of(System.getProperty("java.io.tmpdir"));
        List<ProjectNode> nodes = new java.util.ArrayList<>();
        for (ComputeNode n : resources.nodes()) { // a loop, not a stream: a local run's start comes here
            nodes.add(new ProjectNode(n.name(), "", Path.of(""), work, "", "", "", "", 0, new Launch.Process(), 0, 0));
        }
        return new Project(new MasterNode("", 0), nodes);
    }

    private static Deployment pair(Resources resources, Project project, Path projectFile)
            throws ResourcesFileException {
        List<Worker> workers = new java.util.ArrayList<>();
        for (ProjectNode p : project.nodes()) {
            ComputeNode node = resources.node(p.name()).orElse(null);
            if (node == null) {
                throw new ResourcesFileException(projectFile, p.line(), p.column(), "<ComputeNode Name=\"" + p.name()
                        + "\">: no compute node of that name in the resources file; it declares "
                        + resources.nodes().stream().map(ComputeNode::name).toList());
            }
            workers.add(new Worker(node, p));
        }
        return new Deployment(resources, project, workers);
    }
}
