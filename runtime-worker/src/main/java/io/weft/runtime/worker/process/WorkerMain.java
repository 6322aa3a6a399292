package io.weft.runtime.worker.process;

import io.weft.api.spi.Intercept;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.remote.WorkerService;
import io.weft.wire.Message;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireException;
import io.weft.wire.WireListener;
import io.weft.wire.WireServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The entry point of a worker process:
 *
 * <pre>java -cp weft-agent.jar:app io.weft.runtime.worker.process.WorkerMain
 *      --node NAME --master HOST:PORT --work-dir DIR [--port PORT] [--cores N] [--slots N]
 *      [--master-timeout MILLIS] [--store-budget BYTES] [--bind ADDRESS]</pre>
 *
 * The run's credentials come from the file named by {@code WEFT_RUN_SECRET_FILE}, never from the command line.
 * The worker makes its per-run directory, listens for its peers on {@code PORT} (0: any free port), connects to
 * the master, proves it belongs to the run and says {@link Message.Hello}; then it runs tasks ({@link WorkerService})
 * on {@code --slots} executors over {@code --cores} cores (both default to this host's processors) and answers
 * heartbeats until the master says {@link Message.Shutdown}, goes away, or stays silent for longer than
 * {@code --master-timeout} (default 30 s; the master pings more often than that). Versions it keeps beyond
 * {@code --store-budget} serialised bytes (default half its maximum heap) go to its working directory.
 *
 * <p>Every start-up failure ends the process with a status of its own and one line on standard error that names
 * the node, for the master to report: 2 bad arguments, 3 credentials, 4 working directory, 5 port, 6 master.
 */
public final class WorkerMain {
    static final int MAX_FRAME = 16 << 20;

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = parse(args);
        String node = options.getOrDefault("node", "?");
        RunCredentials credentials = credentials(node);
        Path workDir = workingDirectory(node, options, credentials);
        CountDownLatch end = new CountDownLatch(1);
        int cores = (int) Math.min(4096, count(node, options, "cores", Runtime.getRuntime().availableProcessors()));
        int slots = (int) Math.min(4096, count(node, options, "slots", cores));
        WireClient client = new WireClient(credentials, MAX_FRAME);
        long budget = options.containsKey("store-budget") ? count(node, options, "store-budget", 1)
                : Runtime.getRuntime().maxMemory() / 2;
        WorkerService listener = new WorkerService(node, slots, WorkerResources.cores(cores), client, end::countDown,
                workDir, budget);
        if (Intercept.runtime() == null) {
            Intercept.install(new WorkerRuntime());
        }
        WireServer peers;
        try {
            String bind = options.get("bind");
            peers = WireServer.start(bind == null ? new InetSocketAddress(port(node, options))
                    : new InetSocketAddress(bind, port(node, options)), credentials, MAX_FRAME, listener);
        } catch (WireException e) {
            throw fail(node, 5, "cannot listen for peers: " + e.getMessage());
        }
        WireConnection master;
        try {
            master = client.connect(master(node, options), listener).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw fail(node, 6, "cannot reach the master at " + options.get("master") + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no answer within 30 s"));
        }
        listener.master(master);
        master.send(new Message.Hello(node, ProcessHandle.current().pid(), peers.address().getPort()));
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
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw fail(options.getOrDefault("node", "?"), 2, "bad argument '" + args[i] + "'; usage: --node NAME"
                        + " --master HOST:PORT --work-dir DIR [--port PORT] [--cores N] [--slots N]"
                        + " [--master-timeout MILLIS] [--store-budget BYTES] [--bind ADDRESS]");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        for (String required : new String[] {"node", "master", "work-dir"}) {
            if (!options.containsKey(required)) {
                throw fail(options.getOrDefault("node", "?"), 2, "missing --" + required);
            }
        }
        return options;
    }

    private static RunCredentials credentials(String node) {
        String file = System.getenv(RunCredentials.FILE_VARIABLE);
        if (file == null || file.isBlank()) {
            throw fail(node, 3, RunCredentials.FILE_VARIABLE + " is not set: a worker needs the run's credentials");
        }
        try {
            return RunCredentials.readFrom(Path.of(file));
        } catch (IOException e) {
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

    private static int port(String node, Map<String, String> options) {
        try {
            return Integer.parseInt(options.getOrDefault("port", "0"));
        } catch (NumberFormatException e) {
            throw fail(node, 2, "--port " + options.get("port") + " is not a port number");
        }
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
