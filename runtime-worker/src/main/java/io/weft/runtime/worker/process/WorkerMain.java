package io.weft.runtime.worker.process;

import io.weft.api.spi.Intercept;
import io.weft.log.Log;
import io.weft.log.LogLevel;
import io.weft.log.RunLog;
import io.weft.runtime.worker.ProcessEnvironment;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.endpoint.WorkerEndpoint;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.RunCredentials;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireException;
import io.weft.wire.WireServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
 *      [--bind ADDRESS] [--log-file FILE] [--log-level warn|info|debug|trace]</pre>
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
 * With {@code --log-file}, it logs there at {@code --log-level} (default {@code info}; a run folder's
 * {@code workers/NODE.log} when the master starts it); its warnings and errors go to standard error either way.
 *
 * <p>Every start-up failure ({@link StartFailure}) ends the process with a status of its own and one line on
 * standard error that names the node, for the master to report: 2 bad arguments, 3 credentials, 4 working
 * directory, 5 port, 6 master, 7 declared GPUs outside this process's allocation, 8 refused by the master (no node
 * of that name is awaited, or it has its worker already). {@link WorkerOptions} reads the command line.
 */
public final class WorkerMain {
    private static final Log LOG = Log.of(WorkerMain.class);
    static final int MAX_FRAME = 16 << 20;
    /** The only argument of a training run for the class-data archive (see {@link ClassCacheTraining}). */
    public static final String TRAIN_CLASS_CACHE = "--train-class-cache";

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals(TRAIN_CLASS_CACHE)) {
            try {
                ClassCacheTraining.run();
            } catch (java.io.IOException e) {
                LOG.error("weft worker: " + e.getMessage());
                System.exit(1);
            }
            return;
        }
        try {
            run(args);
        } catch (StartFailure f) {
            LOG.error("weft worker " + f.node + ": " + f.getMessage());
            System.exit(f.status);
        }
    }

    private static void run(String[] args) throws InterruptedException {
        WorkerOptions options = WorkerOptions.parse(args, ProcessEnvironment.VARIABLES);
        if (options.logFile() != null) {
            RunLog.toFile(options.logFile(), options.logLevel()); // log4j2 loads on a thread of its own
        }
        warmUpInBackground();
        String node = options.node();
        if (LOG.isEnabled(LogLevel.INFO)) { // a worker's start is timed: no message is made for nothing
            LOG.info("worker " + node + " starts (pid " + ProcessHandle.current().pid() + "), master "
                    + options.masterText());
            LOG.debug("arguments: " + String.join(" ", args));
        }
        long connectDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.connectTimeoutMillis());
        java.util.concurrent.atomic.AtomicReference<WorkFolder> made = new java.util.concurrent.atomic.AtomicReference<>();
        leaveWithMaster(node, options.masterPid(), made);
        RunCredentials credentials = credentials(node, connectDeadline);
        // Ctrl-C on a terminal reaches the whole process group, workers included, and a master whose run ended while
        // this one still started sends SIGTERM: they leave no folder behind. The hook is there before the folder;
        // it and the making of the folder exclude each other, so a folder made is always removed.
        boolean[] stopping = new boolean[1];
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                WorkFolder w;
                synchronized (made) {
                    stopping[0] = true;
                    w = made.get();
                }
                if (w != null) {
                    w.remove();
                }
            }, "weft-work-folder"));
        } catch (IllegalStateException shuttingDown) {
            return; // stopped before it made anything
        }
        WorkFolder work;
        synchronized (made) {
            if (stopping[0]) {
                return; // the JVM is stopping: the exit goes on once the hooks have run
            }
            work = WorkFolder.make(node, options.workDir(), credentials.runId().toString());
            made.set(work);
        }
        Path workDir = work.run();
        CountDownLatch end = new CountDownLatch(1);
        int cores = options.cores(Runtime.getRuntime().availableProcessors());
        int slots = options.slots(cores);
        WorkerResources resources = options.resources(cores, ProcessEnvironment.VARIABLES);
        WireClient client = new WireClient(credentials, MAX_FRAME);
        long budget = options.storeBudget(Runtime.getRuntime().maxMemory() / 2);
        WorkerEndpoint listener = new WorkerEndpoint(node, slots, resources, client, end::countDown, workDir, budget);
        java.util.concurrent.atomic.AtomicReference<WireConnection> toMaster =
                new java.util.concurrent.atomic.AtomicReference<>();
        if (Intercept.runtime() == null) {
            Intercept.install(new WorkerRuntime((task, status) -> {
                WireConnection m = toMaster.get();
                if (m != null) {
                    try {
                        m.sendNow(new Message.TaskExit(task, status)).get(2, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // The master will see the worker go, and the attempt with it.
                    }
                }
            }));
        }
        WireServer peers = listen(options, credentials, listener);
        WireConnection master = connect(options, client, listener, connectDeadline);
        toMaster.set(master);
        listener.master(master);
        // Bound to one address: peers must use it. Bound to all: the master tells them where this connection came from.
        String dataHost = peers.address().getAddress().isAnyLocalAddress() ? ""
                : peers.address().getAddress().getHostAddress();
        master.send(new Message.Hello(node, ProcessHandle.current().pid(), peers.address().getPort(), dataHost));
        if (LOG.isEnabled(LogLevel.INFO)) {
            LOG.info("worker " + node + " serves: " + slots + " task slots on " + cores + " cores, working in "
                    + workDir + ", peers reach it on port " + peers.address().getPort());
        }
        long masterTimeout = options.masterTimeoutMillis();
        while (!end.await(200, TimeUnit.MILLISECONDS)) {
            listener.expireFetches(masterTimeout / 3);
            if (listener.masterSilentMillis() > masterTimeout) {
                LOG.warn("weft worker " + node + ": the master has been silent for "
                        + listener.masterSilentMillis() + " ms; leaving the run");
                break;
            }
        }
        if (LOG.isEnabled(LogLevel.INFO)) {
            LOG.info("worker " + node + " leaves the run" + (listener.refused() ? " (refused by the master)" : ""));
        }
        master.close();
        work.remove();
        // Network threads wait in native code, and a JVM that exits with one there waits 300 ms for it: stop them
        // first (a few milliseconds), then end the process. Shutdown hooks (a task's library's) still run.
        client.close();
        peers.close();
        System.out.flush();
        System.exit(listener.refused() ? 8 : 0);
    }

    /**
     * A worker that a master on this host started ({@code --master-pid}) ends when that process ends, at whatever
     * point: a master killed with {@code SIGKILL} while its workers still connect runs no exit hook to stop them,
     * and they would otherwise wait out {@code --connect-timeout}, or {@code --master-timeout}.
     */
    private static void leaveWithMaster(String node, long pid, java.util.concurrent.atomic.AtomicReference<WorkFolder>
            made) {
        if (pid <= 0) {
            return;
        }
        Runnable leave = () -> {
            LOG.warn("weft worker " + node + ": the master (process " + pid + ") has ended; leaving");
            WorkFolder work = made.get();
            if (work != null) {
                work.remove();
            }
            Runtime.getRuntime().halt(0);
        };
        ProcessHandle.of(pid).ifPresentOrElse(master -> master.onExit().thenRun(leave), leave);
    }

    /**
     * Makes ready, on a thread of its own, what would otherwise be loaded on the way to the first task: the crypto
     * of the handshake, then the serialiser the first task message needs (together a good part of a second on a
     * small machine), while the main thread loads the network classes. The master calls it too as it starts its
     * worker processes: it proves itself to each, and serialises the first task's arguments.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            RunCredentials.warmUp();
            PayloadCodec.warmUp();
        }, "weft-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Connects to the master, trying again while it refuses until the deadline: a worker started by hand or by
     * {@code srun} may come up before the master listens.
     */
    private static WireConnection connect(WorkerOptions options, WireClient client, WorkerEndpoint listener,
            long deadline) throws InterruptedException {
        InetSocketAddress address = options.master();
        while (true) {
            try {
                return client.connect(address, listener).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                String why = e.getCause() != null ? e.getCause().getMessage() : "no answer within 30 s";
                boolean refused = String.valueOf(why).toLowerCase(Locale.ROOT).contains("refused");
                if (!refused || System.nanoTime() > deadline) {
                    throw new StartFailure(options.node(), 6, "cannot reach the master at " + options.masterText()
                            + ": " + why);
                }
                Thread.sleep(250);
            }
        }
    }

    /**
     * The run's credentials, from the file {@code WEFT_RUN_SECRET_FILE} names, or from standard input when it is
     * {@code -} (a worker started over ssh). A file that does not exist yet is waited for until the deadline: the
     * master may be writing it.
     */
    private static RunCredentials credentials(String node, long deadline) throws InterruptedException {
        String file = System.getenv(RunCredentials.FILE_VARIABLE);
        if (file == null || file.isBlank()) {
            throw new StartFailure(node, 3, RunCredentials.FILE_VARIABLE
                    + " is not set: a worker needs the run's credentials");
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
            throw new StartFailure(node, 3, "cannot read the run's credentials: " + e.getMessage());
        }
    }

    /** Listens for peers on the first free port of {@code --port} (a port, or a range {@code MIN-MAX}). */
    private static WireServer listen(WorkerOptions options, RunCredentials credentials, WorkerEndpoint listener) {
        WorkerOptions.Ports ports = options.ports();
        String bind = options.bind();
        WireException last = null;
        for (int port = ports.min(); port <= ports.max(); port++) {
            try {
                return WireServer.start(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port),
                        credentials, MAX_FRAME, listener);
            } catch (WireException e) {
                last = e;
            }
        }
        throw new StartFailure(options.node(), 5, "cannot listen for peers"
                + (ports.min() == ports.max() ? "" : " on any port of " + ports.spec()) + ": " + last.getMessage());
    }

    static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Leftovers in a per-run directory are harmless.
        }
    }
}
