package io.weft.runtime.worker.process;

import io.weft.log.LogLevel;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.executor.TaskContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A worker process's command line (see {@link WorkerMain} for the options). {@link #parse} checks the options'
 * names and that the required ones are there; each value is checked when the process first needs it, so that
 * start-up fails on the first problem in the order it starts up. Every problem is a {@link StartFailure} with
 * status 2 (bad arguments), or 7 for GPUs outside this process's allocation. Immutable.
 */
final class WorkerOptions {
    static final String USAGE = "--node NAME --master HOST:PORT --work-dir DIR [--port PORT|MIN-MAX]"
            + " [--cores N] [--slots N] [--gpus LIST] [--memory BYTES] [--master-timeout MILLIS]"
            + " [--connect-timeout MILLIS] [--store-budget BYTES] [--bind ADDRESS] [--master-pid PID]"
            + " [--log-file FILE] [--log-level warn|info|debug|trace]";
    private static final Set<String> OPTIONS = Set.of("node", "master", "work-dir", "port", "cores", "slots",
            "gpus", "memory", "master-timeout", "connect-timeout", "store-budget", "bind", "master-pid", "log-file",
            "log-level");
    private static final int MAX_THREADS = 4096;

    /** The ports to listen on for peers, from {@code min} to {@code max}; {@code spec} as given. */
    record Ports(int min, int max, String spec) {}

    private final Map<String, String> options;

    private WorkerOptions(Map<String, String> options) {
        this.options = Map.copyOf(options);
    }

    /**
     * Reads the command line. Without {@code --node}, the node is {@code WEFT_NODE} or, under {@code srun},
     * {@code SLURMD_NODENAME}.
     *
     * @param environment the process's environment variables ({@code ProcessEnvironment.VARIABLES})
     * @throws StartFailure for an option that is malformed, unknown or missing
     */
    static WorkerOptions parse(String[] args, Function<String, String> environment) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new StartFailure(options.getOrDefault("node", "?"), 2, "bad argument '" + args[i]
                        + "'; usage: " + USAGE);
            }
            String name = args[i].substring(2);
            if (!OPTIONS.contains(name)) {
                throw new StartFailure(options.getOrDefault("node", "?"), 2, "unknown option --" + name
                        + "; usage: " + USAGE);
            }
            options.put(name, args[++i]);
        }
        // Under srun each task finds its node in the environment.
        for (String variable : new String[] {"WEFT_NODE", "SLURMD_NODENAME"}) {
            String value = environment.apply(variable);
            if (!options.containsKey("node") && value != null && !value.isBlank()) {
                options.put("node", value.strip());
            }
        }
        for (String required : new String[] {"node", "master", "work-dir"}) {
            if (!options.containsKey(required)) {
                throw new StartFailure(options.getOrDefault("node", "?"), 2, "missing --" + required + "; usage: "
                        + USAGE);
            }
        }
        return new WorkerOptions(options);
    }

    /** The node this worker serves. */
    String node() {
        return options.get("node");
    }

    /** The directory in which the worker makes its per-run directory. */
    Path workDir() {
        return Path.of(options.get("work-dir"));
    }

    /** How long to wait for the credentials file and for a master that refuses connections (default 60 s). */
    long connectTimeoutMillis() {
        return count("connect-timeout", 60_000);
    }

    /** The process id of a master on this host that this worker must not outlive, or 0. */
    long masterPid() {
        return options.containsKey("master-pid") ? count("master-pid", 0) : 0;
    }

    /** How long the master may stay silent before the worker leaves the run (default 30 s). */
    long masterTimeoutMillis() {
        return count("master-timeout", 30_000);
    }

    /** How many cores tasks may use, {@code available} by default. */
    int cores(int available) {
        return (int) Math.min(MAX_THREADS, count("cores", available));
    }

    /** How many tasks run at once, {@code cores} by default. */
    int slots(int cores) {
        return (int) Math.min(MAX_THREADS, count("slots", cores));
    }

    /** How many serialised bytes of kept versions may stay in memory, {@code otherwise} by default. */
    long storeBudget(long otherwise) {
        return options.containsKey("store-budget") ? count("store-budget", 1) : otherwise;
    }

    /**
     * What the worker hands out: {@code cores}, the {@code --gpus} and the {@code --memory}.
     *
     * @param environment the process's environment, whose device lists the GPUs must fit in
     */
    WorkerResources resources(int cores, Function<String, String> environment) {
        List<WorkerResources.Gpu> gpus;
        try {
            gpus = WorkerResources.parseGpus(options.getOrDefault("gpus", ""));
        } catch (IllegalArgumentException e) {
            throw new StartFailure(node(), 2, "--gpus: " + e.getMessage());
        }
        long memory = options.containsKey("memory") ? count("memory", 1) : -1;
        WorkerResources resources = new WorkerResources(cores, gpus, memory);
        String problem = TaskContext.allocationProblem(node(), resources, environment);
        if (problem != null) {
            throw new StartFailure(node(), 7, problem);
        }
        return resources;
    }

    /** The ports to listen on for peers: a port, or a range {@code MIN-MAX} (default 0: any free port). */
    Ports ports() {
        String spec = options.getOrDefault("port", "0");
        try {
            int dash = spec.indexOf('-');
            int min = Integer.parseInt(dash < 0 ? spec : spec.substring(0, dash));
            int max = dash < 0 ? min : Integer.parseInt(spec.substring(dash + 1));
            if (min >= 0 && max <= 65535 && max >= min) {
                return new Ports(min, max, spec);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new StartFailure(node(), 2, "--port " + spec + " is not a port number or a range MIN-MAX");
    }

    /** The address to listen on for peers, or {@code null} for all of this host's. */
    String bind() {
        return options.get("bind");
    }

    /** The file the worker logs to, or {@code null} for none (warnings still go to standard error). */
    Path logFile() {
        String file = options.get("log-file");
        return file == null || file.isBlank() ? null : Path.of(file);
    }

    /** What reaches the log file (default INFO and above). */
    LogLevel logLevel() {
        try {
            return LogLevel.parse(options.getOrDefault("log-level", "info"));
        } catch (IllegalArgumentException e) {
            throw new StartFailure(node(), 2, "--log-level: " + e.getMessage());
        }
    }

    /** The master's address, as given. */
    String masterText() {
        return options.get("master");
    }

    /** The master's address. */
    InetSocketAddress master() {
        String address = options.get("master");
        int colon = address.lastIndexOf(':');
        try {
            return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new StartFailure(node(), 2, "--master " + address + " is not HOST:PORT");
        }
    }

    private long count(String name, long otherwise) {
        String value = options.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new StartFailure(node(), 2, "--" + name + " " + value + " is not a positive whole number");
    }
}
