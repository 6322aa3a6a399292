package io.weft.runtime.worker.process;

import io.weft.api.spi.Intercept;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.endpoint.WorkerEndpoint;
import io.weft.runtime.worker.executor.TaskContext;
import io.weft.wire.Message;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireException;
import io.weft.wire.WireListener;
import io.weft.wire.WireServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The entry point of a worker process:
 *
 * <pre>java -cp weft-agent.jar:app io.weft.runtime.worker.process.WorkerMain
 *      --node NAME --master HOST:PORT --work-dir DIR [--port PORT] [--cores N] [--slots N] [--gpus LIST]
 *      [--memory BYTES] [--master-timeout MILLIS] [--connect-timeout MILLIS] [--store-budget BYTES]
 *      [--bind ADDRESS]</pre>
 *
 * The run's credentials come from the file named by {@code WEFT_RUN_SECRET_FILE} (or from standard input when it
 * is {@code -}), never from the command line. Without {@code --node}, the node is {@code WEFT_NODE} or, under
 * {@code srun}, {@code SLURMD_NODENAME}. A missing credentials file and a master that refuses connections are
 * waited for until {@code --connect-timeout} (default 60 s), so workers may start before the master.
 * The worker makes its per-run directory, listens for its peers on {@code PORT} (0: any free port), connects to
 * the master, proves it belongs to the run and says {@link Message.Hello}; then it runs tasks ({@link WorkerEndpoint})
 * on {@code --slots} executors over {@code --cores} cores (both default to this host's processors) and answers
 * heartbeats until the master says {@link Message.Shutdown}, goes away, or stays silent for longer than
 * {@code --master-timeout} (default 30 s; the master pings more often than that). Versions it keeps beyond
 * {@code --store-budget} serialised bytes (default half its maximum heap) go to its working directory.
 *
 * <p>Every start-up failure ends the process with a status of its own and one line on standard error that names
 * the node, for the master to report: 2 bad arguments, 3 credentials, 4 working directory, 5 port, 6 master, 7 declared GPUs outside this
 * process's allocation, 8 refused by the master (no node of that name is awaited, or it has its worker already).
 */
public final class WorkerMain {
    static final int MAX_FRAME = 16 << 20;
    private static final String USAGE = "--node NAME --master HOST:PORT --work-dir DIR [--port PORT|MIN-MAX]"
            + " [--cores N] [--slots N] [--gpus LIST] [--memory BYTES] [--master-timeout MILLIS] [--connect-timeout MILLIS]"
            + " [--store-budget BYTES] [--bind ADDRESS]";
    private static final java.util.Set<String> OPTIONS = java.util.Set.of("node", "master", "work-dir", "port",
            "cores", "slots", "gpus", "memory", "master-timeout", "connect-timeout", "store-budget", "bind");

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = parse(args);
        String node = options.get("node");
        long connectDeadline = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(count(node, options, "connect-timeout", 60_000));
        RunCredentials credentials = credentials(node, connectDeadline);
        Path workDir = workingDirectory(node, options, credentials);
        CountDownLatch end = new CountDownLatch(1);
        int cores = (int) Math.min(4096, count(node, options, "cores", Runtime.getRuntime().availableProcessors()));
        int slots = (int) Math.min(4096, count(node, options, "slots", cores));
        WorkerResources resources = resources(node, options, cores);
        WireClient client = new WireClient(credentials, MAX_FRAME);
        long budget = options.containsKey("store-budget") ? count(node, options, "store-budget", 1)
                : Runtime.getRuntime().maxMemory() / 2;
        WorkerEndpoint listener = new WorkerEndpoint(node, slots, resources, client, end::countDown, workDir, budget);
        if (Intercept.runtime() == null) {
            Intercept.install(new WorkerRuntime());
        }
        WireServer peers = listen(node, options, credentials, listener);
        WireConnection master = connect(node, options, client, listener, connectDeadline);
        listener.master(master);
        // Bound to one address: peers must use it. Bound to all: the master tells them where this connection came from.
        String dataHost = peers.address().getAddress().isAnyLocalAddress() ? ""
                : peers.address().getAddress().getHostAddress();
        master.send(new Message.Hello(node, ProcessHandle.current().pid(), peers.address().getPort(), dataHost));
        long masterTimeout = count(node, options, "master-timeout", 30_000);
        while (!end.await(200, TimeUnit.MILLISECONDS)) {
            listener.expireFetches(masterTimeout / 3);
            if (listener.masterSilentMillis() > masterTimeout) {
                System.err.println("weft worker " + node + ": the master has been silent for "
                        + listener.masterSilentMillis() + " ms; leaving the run");
                break;
            }
        }
        master.close();
        client.close();
        peers.close();
        deleteQuietly(workDir);
        if (listener.refused()) {
            System.exit(8);
        }
    }

    /**
     * Connects to the master, trying again while it refuses until the deadline: a worker started by hand or by
     * {@code srun} may come up before the master listens.
     */
    private static WireConnection connect(String node, Map<String, String> options, WireClient client,
            WorkerEndpoint listener, long deadline) throws InterruptedException {
        InetSocketAddress address = master(node, options);
        while (true) {
            try {
                return client.connect(address, listener).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                String why = e.getCause() != null ? e.getCause().getMessage() : "no answer within 30 s";
                boolean refused = String.valueOf(why).toLowerCase(java.util.Locale.ROOT).contains("refused");
                if (!refused || System.nanoTime() > deadline) {
                    throw fail(node, 6, "cannot reach the master at " + options.get("master") + ": " + why);
                }
                Thread.sleep(250);
            }
        }
    }

    private static WorkerResources resources(String node, Map<String, String> options, int cores) {
        List<WorkerResources.Gpu> gpus;
        try {
            gpus = WorkerResources.parseGpus(options.getOrDefault("gpus", ""));
        } catch (IllegalArgumentException e) {
            throw fail(node, 2, "--gpus: " + e.getMessage());
        }
        long memory = options.containsKey("memory") ? count(node, options, "memory", 1) : -1;
        WorkerResources resources = new WorkerResources(cores, gpus, memory);
        String problem = TaskContext.allocationProblem(node, resources, System::getenv);
        if (problem != null) {
            throw fail(node, 7, problem);
        }
        return resources;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw fail(options.getOrDefault("node", "?"), 2, "bad argument '" + args[i] + "'; usage: " + USAGE);
            }
            String name = args[i].substring(2);
            if (!OPTIONS.contains(name)) {
                throw fail(options.getOrDefault("node", "?"), 2, "unknown option --" + name + "; usage: " + USAGE);
            }
            options.put(name, args[++i]);
        }
        // Under srun each task finds its node in the environment.
        for (String variable : new String[] {"WEFT_NODE", "SLURMD_NODENAME"}) {
            String value = System.getenv(variable);
            if (!options.containsKey("node") && value != null && !value.isBlank()) {
                options.put("node", value.strip());
            }
        }
        for (String required : new String[] {"node", "master", "work-dir"}) {
            if (!options.containsKey(required)) {
                throw fail(options.getOrDefault("node", "?"), 2, "missing --" + required + "; usage: " + USAGE);
            }
        }
        return options;
    }

    /**
     * The run's credentials, from the file {@code WEFT_RUN_SECRET_FILE} names, or from standard input when it is
     * {@code -} (a worker started over ssh). A file that does not exist yet is waited for until the deadline: the
     * master may be writing it.
     */
    private static RunCredentials credentials(String node, long deadline) throws InterruptedException {
        String file = System.getenv(RunCredentials.FILE_VARIABLE);
        if (file == null || file.isBlank()) {
            throw fail(node, 3, RunCredentials.FILE_VARIABLE + " is not set: a worker needs the run's credentials");
        }
        try {
            if (file.equals("-")) {
                // Up to a blank line (the master keeps the pipe open) or the end: two lines, three with TLS.
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        StandardCharsets.US_ASCII));
                StringBuilder text = new StringBuilder();
                String line;
                for (int i = 0; i < 3 && (line = in.readLine()) != null && !line.isBlank(); i++) {
                    text.append(line).append('\n');
                }
                return RunCredentials.parse(text.toString(), "standard input");
            }
            Path path = Path.of(file);
            while (!Files.exists(path) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            return RunCredentials.readFrom(path);
        } catch (IOException | RuntimeException e) {
            throw fail(node, 3, "cannot read the run's credentials: " + e.getMessage());
        }
    }

    private static Path workingDirectory(String node, Map<String, String> options, RunCredentials credentials) {
        Path base = Path.of(options.get("work-dir"));
        Path run = base.resolve("weft-" + credentials.runId());
        try {
            Files.createDirectories(run);
            Path probe = Files.createTempFile(run, "probe", ".tmp");
            Files.delete(probe);
            return run;
        } catch (IOException | RuntimeException e) {
            throw fail(node, 4, "cannot use the working directory " + base + ": " + e);
        }
    }

    private static long count(String node, Map<String, String> options, String name, long otherwise) {
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
        throw fail(node, 2, "--" + name + " " + value + " is not a positive whole number");
    }

    /** Listens for peers on the first free port of {@code --port} (a port, or a range {@code MIN-MAX}). */
    private static WireServer listen(String node, Map<String, String> options, RunCredentials credentials,
            WorkerEndpoint listener) {
        String spec = options.getOrDefault("port", "0");
        int min;
        int max;
        try {
            int dash = spec.indexOf('-');
            min = Integer.parseInt(dash < 0 ? spec : spec.substring(0, dash));
            max = dash < 0 ? min : Integer.parseInt(spec.substring(dash + 1));
            if (min < 0 || max > 65535 || max < min) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw fail(node, 2, "--port " + spec + " is not a port number or a range MIN-MAX");
        }
        String bind = options.get("bind");
        WireException last = null;
        for (int port = min; port <= max; port++) {
            try {
                return WireServer.start(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port),
                        credentials, MAX_FRAME, listener);
            } catch (WireException e) {
                last = e;
            }
        }
        throw fail(node, 5, "cannot listen for peers" + (min == max ? "" : " on any port of " + spec) + ": "
                + last.getMessage());
    }

    private static InetSocketAddress master(String node, Map<String, String> options) {
        String address = options.get("master");
        int colon = address.lastIndexOf(':');
        try {
            return new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw fail(node, 2, "--master " + address + " is not HOST:PORT");
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Leftovers in a per-run directory are harmless.
        }
    }

    /** Says why the worker cannot start, on one line that names the node, and exits with {@code status}. */
    private static RuntimeException fail(String node, int status, String why) {
        System.err.println("weft worker " + node + ": " + why);
        System.err.flush();
        System.exit(status);
        return new IllegalStateException(why); // not reached
    }
}
