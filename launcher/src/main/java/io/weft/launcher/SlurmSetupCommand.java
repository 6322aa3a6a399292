package io.weft.launcher;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft slurm-setup}, hidden: the first step of the job script {@code weft submit} writes, run on the job's
 * first node, where the master will run. It reads what SLURM allocated, checks it against what was asked, chooses
 * the master's address and port, and writes into the run folder {@code resources.xml}, {@code project.xml} and, for
 * each worker, the arguments of its {@code weft worker} ({@code workers/<node>.args}). On standard output it tells
 * the script, one line each: {@code worker <node> <cpus> <gpus>} for every worker to start with {@code srun},
 * {@code limit <seconds>} (or {@code limit none}), the master's wall-clock limit, {@code left <seconds>} (or
 * {@code left none}), the time the job has left, and {@code master <host:port>}.
 */
@Command(name = "slurm-setup", hidden = true, description = "Used by weft submit's job script.")
final class SlurmSetupCommand implements Callable<Integer> {
    @Option(names = "--run-folder", required = true)
    Path runFolder;

    @Option(names = "--nodes")
    int nodes = 1;

    @Option(names = "--cpus-per-node")
    int cpusPerNode;

    @Option(names = "--gpus-per-node")
    int gpusPerNode;

    @Option(names = "--node-memory-mb")
    long nodeMemoryMb;

    /** -1: the default (every CPU of the node on a one-node job, else none). */
    @Option(names = "--worker-in-master-cpus")
    int workerInMasterCpus = -1;

    @Option(names = "--worker-working-dir")
    String workerWorkingDir = SubmitCommand.LOCAL_DISK;

    @Option(names = "--network-interface")
    String networkInterface;

    @Option(names = "--master-port")
    Integer masterPort;

    @Option(names = "--classpath")
    String classPath = "";

    @Option(names = "--worker-jvm-option")
    List<String> workerJvmOptions = new ArrayList<>();

    /** The user's own --wall-clock-limit, in seconds. */
    @Option(names = "--wall-clock-limit")
    Long wallClockLimit;

    private final Map<String, String> env;
    private final SlurmCommands slurm;

    SlurmSetupCommand() {
        this(System.getenv(), new SlurmCommands(Duration.ofSeconds(60)));
    }

    SlurmSetupCommand(Map<String, String> env, SlurmCommands slurm) {
        this.env = env;
        this.slurm = slurm;
    }

    @Override
    public Integer call() throws IOException {
        Installation installation = Installation.current().requireJars();
        String job = require("SLURM_JOB_ID");
        List<String> hostnames = slurm.run(List.of("scontrol", "show", "hostnames", require("SLURM_JOB_NODELIST")))
                .lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        SlurmAllocation allocation = SlurmAllocation.of(hostnames, env, gpusPerNode)
                .requireAtLeast(nodes, cpusPerNode, nodeMemoryMb, gpusPerNode);
        String masterNode = env.getOrDefault("SLURMD_NODENAME", hostnames.get(0));
        List<NodeFiles.Worker> workers = workers(allocation, masterNode, job);
        String host = masterHost(networkInterface);
        int port = masterPort != null ? masterPort : FreePort.pick(new SecureRandom());
        String master = (host.isEmpty() ? localHostName() : host) + ":" + port;

        String cp = classPath + java.io.File.pathSeparator + installation.apiJar();
        Files.writeString(runFolder.resolve("resources.xml"),
                NodeFiles.resources(workers, NodeFiles.architecture(System.getProperty("os.arch"))),
                StandardCharsets.UTF_8);
        Files.writeString(runFolder.resolve("project.xml"),
                NodeFiles.project(workers, host, port, installation.agentJar().getParent().toString()),
                StandardCharsets.UTF_8);
        Path args = Files.createDirectories(runFolder.resolve("workers"));
        StringBuilder out = new StringBuilder();
        for (NodeFiles.Worker w : workers) {
            Files.writeString(args.resolve(w.node() + ".args"),
                    NodeFiles.workerArguments(w, master, cp, workerJvmOptions, args.resolve(w.node() + ".log")),
                    StandardCharsets.UTF_8);
            out.append("worker ").append(w.node()).append(' ').append(w.cpus()).append(' ').append(w.gpus())
                    .append('\n');
        }
        OptionalLong left = timeLeft(job);
        OptionalLong limit = masterLimit(left, wallClockLimit);
        out.append("limit ").append(limit.isPresent() ? String.valueOf(limit.getAsLong()) : "none").append('\n');
        out.append("left ").append(left.isPresent() ? String.valueOf(left.getAsLong()) : "none").append('\n');
        out.append("master ").append(master).append('\n');
        System.out.print(out);
        System.out.flush();
        return 0;
    }

    /** The workers: one on each node but the master's, and one on the master's node if it gets CPUs. */
    List<NodeFiles.Worker> workers(SlurmAllocation a, String masterNode, String job) {
        int masterIndex = a.nodes().indexOf(masterNode);
        if (masterIndex < 0) {
            throw new LauncherException("this script runs on " + masterNode + ", which is not one of the job's nodes "
                    + a.nodes());
        }
        int masterCpus = a.cpus().get(masterIndex);
        int inMaster = workerInMasterCpus >= 0 ? workerInMasterCpus : a.nodes().size() == 1 ? masterCpus : 0;
        if (inMaster > masterCpus) {
            throw new LauncherException("--worker-in-master-cpus " + inMaster + ": the master's node " + masterNode
                    + " has " + masterCpus + " CPUs in this job");
        }
        String base = workBase(job);
        List<NodeFiles.Worker> out = new ArrayList<>();
        for (int i = 0; i < a.nodes().size(); i++) {
            String node = a.nodes().get(i);
            int cpus = i == masterIndex ? inMaster : a.cpus().get(i);
            if (cpus == 0) {
                continue;
            }
            // The master's node shares its memory with the master: its worker gets its share of the CPUs'.
            long memory = a.memoryMb() <= 0 ? -1
                    : i == masterIndex ? a.memoryMb() * cpus / Math.max(1, masterCpus) : a.memoryMb();
            // A folder per node, side by side rather than inside one folder of the job: each worker removes its own at the
            // end, and nodes that share a disk (or a host) leave no common parent behind.
            out.add(new NodeFiles.Worker(node, cpus, memory, a.gpus(), base + "-" + node));
        }
        if (out.isEmpty()) {
            throw new LauncherException("no node would run tasks: the job has only the master's node, and"
                    + " --worker-in-master-cpus is 0");
        }
        return out;
    }

    /** Where workers make their folders: {@code <base>/weft-job-<id>-<node>}. */
    private String workBase(String job) {
        String base;
        if (workerWorkingDir.equals(SubmitCommand.LOCAL_DISK)) {
            String tmp = env.get("TMPDIR");
            base = tmp == null || tmp.isBlank() ? "/tmp" : tmp;
        } else if (workerWorkingDir.equals(SubmitCommand.SHARED_DISK)) {
            base = runFolder.resolve("work").toString();
        } else {
            base = workerWorkingDir;
        }
        return Path.of(base).toAbsolutePath().normalize().resolve("weft-job-" + job).toString();
    }

    /**
     * The address workers connect to: that of {@code spec} if it names an interface of this node, the node's name
     * with {@code spec} appended if it starts with {@code -} or {@code .} (a cluster's {@code node1-ib0} names), or
     * empty (the master listens everywhere, workers use the node's name) when there is no {@code spec}.
     */
    static String masterHost(String spec) {
        if (spec == null || spec.isBlank()) {
            return "";
        }
        if (spec.startsWith("-") || spec.startsWith(".")) {
            String name = localHostName();
            int dot = name.indexOf('.');
            return (dot > 0 ? name.substring(0, dot) : name) + spec;
        }
        try {
            NetworkInterface nif = NetworkInterface.getByName(spec);
            if (nif != null) {
                List<InterfaceAddress> addresses = nif.getInterfaceAddresses();
                for (InterfaceAddress a : addresses) {
                    if (a.getAddress() instanceof Inet4Address) {
                        return a.getAddress().getHostAddress();
                    }
                }
                if (!addresses.isEmpty()) {
                    return addresses.get(0).getAddress().getHostAddress().replaceFirst("%.*$", "");
                }
                throw new LauncherException("--network-interface " + spec + ": the interface has no address");
            }
            String known = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName).sorted().collect(Collectors.joining(", "));
            throw new LauncherException("--network-interface " + spec + ": no such interface on " + localHostName()
                    + " (it has " + known + "); a value starting with '-' or '.' is a suffix of the node's name");
        } catch (SocketException e) {
            throw new LauncherException("--network-interface " + spec + ": " + e.getMessage());
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String h = System.getenv("HOSTNAME");
            if (h != null && !h.isBlank()) {
                return h;
            }
            throw new LauncherException("this node does not know its own name (" + e.getMessage() + "): give"
                    + " --network-interface");
        }
    }

    /** The time the job has left, from squeue; empty when it has no limit. */
    private OptionalLong timeLeft(String job) {
        return SlurmTime.left(slurm.run(List.of("squeue", "-h", "-j", job, "-o", "%L")));
    }

    /**
     * The master's wall-clock limit: the time the job has left, less the margin the run needs to stop in order, or
     * the user's own limit if lower.
     */
    static OptionalLong masterLimit(OptionalLong left, Long own) {
        if (left.isEmpty()) {
            return own == null ? OptionalLong.empty() : OptionalLong.of(own);
        }
        long limit = left.getAsLong() - SubmitCommand.stopMargin(left.getAsLong());
        if (limit < 5) {
            throw new LauncherException("the job has " + left.getAsLong() + " s left, too little to run and stop in"
                    + " order: give it a longer --time");
        }
        return OptionalLong.of(own == null ? limit : Math.min(limit, own));
    }

    private String require(String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new LauncherException(name + " is not set: weft slurm-setup runs inside a job weft submit wrote");
        }
        return v;
    }
}
