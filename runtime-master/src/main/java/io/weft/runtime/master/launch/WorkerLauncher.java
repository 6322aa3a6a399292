package io.weft.runtime.master.launch;

import io.weft.api.spi.RuntimeThread;
import io.weft.log.Log;
import io.weft.log.LogLevel;
import io.weft.resources.ComputeNode;
import io.weft.resources.Deployment;
import io.weft.resources.Launch;
import io.weft.resources.LocalMachine;
import io.weft.resources.MasterNode;
import io.weft.resources.Processor;
import io.weft.resources.ProcessorType;
import io.weft.resources.ProjectNode;
import io.weft.resources.ResourcesFileException;
import io.weft.runtime.master.config.RunFolder;
import io.weft.runtime.master.config.RuntimeConfig;
import io.weft.runtime.master.gateway.FileOffers;
import io.weft.runtime.master.gateway.InProcessGateway;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.remote.PeerDirectory;
import io.weft.runtime.master.remote.RemoteWorkerGateway;
import io.weft.runtime.worker.WorkerResources;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts the workers of a run as its configuration says — in this process (local mode), as {@code workers=N}
 * processes on this host, or as the nodes of a project file (local processes, ssh, or adopted) — and hands back a
 * gateway to each. Also hears of lost workers and tells their gateway and the caller.
 *
 * <p>Worker processes start while the program runs: {@link #start} returns once their processes are launched, and
 * each node's gateway completes when its worker has proved it belongs to the run and said hello (tasks wait for
 * it meanwhile). The first worker that cannot start is reported to the {@link StartFailureListener}.
 *
 * <p>Threading: {@link #start} on the thread that starts the runtime; gateways complete and start failures are
 * reported on the start threads; the loss callback on the heartbeat thread or an event loop. Lifecycle:
 * {@link #start}, then {@link #close} at the end of the run, which stops workers still starting.
 */
public final class WorkerLauncher implements AutoCloseable {
    private static final Log LOG = Log.of(WorkerLauncher.class);
    /**
     * At most this many tasks run at once on one in-process node, whatever it declares: each is an executor
     * thread of this JVM, and they are started only as work arrives.
     */
    public static final int MAX_EXECUTORS_PER_NODE = 256;
    /** Worker processes started at once; the others wait their turn (adopted workers are only awaited). */
    private static final int MAX_STARTING = 32;
    /** The least a worker waits for a silent master before it leaves. */
    private static final long MASTER_SILENCE_MILLIS = 120_000;

    /**
     * At most this many single-core tasks per task slot at a worker process, running and queued: enough to cover
     * a round trip to the master between very short tasks. How many are actually sent ahead follows the tasks'
     * measured times, and queued tasks move to a worker that idles (see the master's {@code WorkerNode}).
     */
    public static final int REMOTE_QUEUED_PER_SLOT = 32;

    /** How long a file fetch from a worker may stay silent before it fails. */
    private static final long SILENT_FETCH_MILLIS = 600_000;

    /**
     * A worker of the run: what it serves, and the gateway to it once it serves.
     *
     * @param gateway completes once the worker serves (at once in this process); never exceptionally (a worker
     *     that cannot start is reported to the {@link StartFailureListener})
     * @param queuedPerSlot how many single-core tasks per task slot may be at the worker at most
     * @param inProcess whether it runs in this process, on the program's own objects and files
     */
    public record Node(int index, Deployment.Worker worker, int slots, int cores,
            CompletableFuture<WorkerGateway> gateway, int queuedPerSlot, boolean inProcess) {}

    /** Told the index of each lost node and why. */
    @FunctionalInterface
    public interface LossListener {
        void lost(int node, String why);
    }

    /** Told, once, that a worker could not start: the message names the node and says why. */
    @FunctionalInterface
    public interface StartFailureListener {
        void failed(String message, Throwable cause);
    }

    private final RemoteWorkerGateway.ExitListener onTaskExit;
    private final RuntimeConfig config;
    private final AtomicLong keys;
    private final FileOffers offers;
    private final LossListener onLost;
    private final StartFailureListener onStartFailure;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean failureReported =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Node> nodes = new ArrayList<>();
    /** The workers started in this process, whose executors the end of the run looks at. */
    private final List<InProcessGateway> inProcess = new ArrayList<>();
    private WorkerPool pool;
    /** Whether worker processes were started on this host from Weft's jar: the class-data archive is for them. */
    private volatile boolean startedHere;
    private RunSecret secret;
    private ScheduledExecutorService codec;
    /**
     * Folders of this host that did not exist before its workers started (a {@code WorkingDir}, the local cluster's
     * folder of the user's): removed, if empty, once the workers have left. A worker removes those it made itself,
     * but one that finds a folder another worker just made leaves it to whoever made it, which may end first.
     */
    private final List<Path> madeForRun = new ArrayList<>();
    private Path localClusterFolder;
    /** The lock that says the local cluster's folder is in use, or {@code null}. */
    private LeftWorkerFolders.Alive alive;

    private WorkerLauncher(RuntimeConfig config, AtomicLong keys, FileOffers offers, LossListener onLost,
            StartFailureListener onStartFailure, RemoteWorkerGateway.ExitListener onTaskExit) {
        this.onTaskExit = onTaskExit;
        this.config = config;
        this.keys = keys;
        this.offers = offers;
        this.onLost = onLost;
        this.onStartFailure = onStartFailure;
    }

    /**
     * Starts the workers the configuration describes: those in this process at once; worker processes are
     * launched, and each node's gateway completes when its worker serves.
     *
     * @param keys the run's source of keys for what workers keep
     * @param offers the master's files workers may fetch
     * @param onLost told of each worker lost after it served
     * @param onStartFailure told of the first worker process that could not start (not after {@link #close})
     * @throws IllegalArgumentException if a resources or project file is wrong, or the master cannot listen for its
     *     workers; the message says where and why
     */
    public static WorkerLauncher start(RuntimeConfig config, AtomicLong keys, FileOffers offers,
            LossListener onLost, StartFailureListener onStartFailure, RemoteWorkerGateway.ExitListener onTaskExit) {
        WorkerLauncher launcher = new WorkerLauncher(config, keys, offers, onLost, onStartFailure, onTaskExit);
        Deployment deployment = config.workers() > 0
                ? Deployment.localCluster(thisMachine(config), config.workers()) : deployment(config);
        if (config.runFolder() != null) {
            String weft = weftClassPath();
            Path install = weft.isEmpty() ? Path.of("").toAbsolutePath() : Path.of(weft).toAbsolutePath().getParent();
            // Off the program's start; not a daemon, so that a run that ends at once still has them (said here:
            // the runtime may be starting on a daemon thread, whose flag a new thread would take).
            Thread keep = new Thread(() -> RunDescriptions.keep(config, deployment, install), "weft-run-folder");
            keep.setDaemon(false);
            keep.start();
        }
        if (config.workers() > 0) {
            launcher.startWorkerProcesses(deployment, true);
        } else if (config.project() != null) {
            launcher.startWorkerProcesses(deployment, false);
        } else {
            launcher.startInProcessWorkers(deployment);
        }
        return launcher;
    }

    /**
     * The thread payloads are encoded and decoded on; for workers in this process, which exchange no payloads, the
     * caller's thread.
     */
    public Executor codec() {
        return codec != null ? codec : InCaller.INSTANCE;
    }

    /** Runs each command on the caller's thread. A class rather than {@code Runnable::run}: made in the start. */
    private static final class InCaller implements Executor {
        static final InCaller INSTANCE = new InCaller();

        @Override
        public void execute(Runnable command) {
            command.run();
        }
    }

    /** The started nodes, by index. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Whether a task on an in-process executor is inside {@code System.exit}: waiting for it would wait for ever. */
    public boolean executorIsExiting() {
        for (InProcessGateway g : inProcess) { // a loop, not a stream: a short run's end comes here
            if (g.executorIsExiting()) {
                return true;
            }
        }
        return false;
    }

    /** Tells the worker processes the run is over and waits (briefly) for them to leave. */
    @Override
    public synchronized void close() {
        closed.set(true);
        if (pool != null) {
            pool.close();
        }
        if (secret != null) {
            secret.startedAll();
        }
        if (startedHere && !failureReported.get()) {
            // for the next runs, in the background
            ClassCache.makeIfMissing(weftClassPath(), ClassCache.layout(config.workerJvmOptions()));
        }
        if (codec != null) {
            codec.shutdownNow();
        }
        removeFoldersMadeForRun();
    }

    /** Notes the folders, up to {@code workDir}, that do not exist yet: the run makes them. */
    private void noteMissingFolders(Path workDir) {
        for (Path p = workDir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            if (!madeForRun.contains(p)) {
                madeForRun.add(p);
            }
        }
    }

    /**
     * Empties the local cluster's folder ({@code workers=N}) of what its workers left, then removes the folders the
     * run made on this host that are empty now, the deepest first. After the pool has waited for the workers.
     */
    private void removeFoldersMadeForRun() {
        boolean emptied = true;
        if (localClusterFolder != null && Files.isDirectory(localClusterFolder, LinkOption.NOFOLLOW_LINKS)) {
            // The pool has waited for the workers to end. One killed during the run (which went on without it) left
            // its run's folder, spilled versions and kept files in it: emptied here, as the worker does at its end.
            emptied = LeftWorkerFolders.emptyRunFolder(localClusterFolder);
        }
        if (alive != null) {
            if (emptied) {
                alive.close(); // its lock file goes, then the folder below
            } else {
                alive.release(); // the file stays: a later run removes what is left once it is only folders
            }
            alive = null;
        }
        if (madeForRun.size() > 1) { // most runs make none, and spin no comparator's lambdas on their way out
            madeForRun.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        }
        for (Path p : madeForRun) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // Not empty (what a task left, or another run's): it stays.
            }
        }
        madeForRun.clear();
    }

    private void startInProcessWorkers(Deployment deployment) {
        for (Deployment.Worker w : deployment.workers()) {
            boolean local = config.resources() == null;
            int cores = local ? config.threads() : w.node().cpuComputingUnits();
            int slots = Math.min(local ? config.threads() : w.taskSlots(), MAX_EXECUTORS_PER_NODE);
            InProcessGateway gateway = InProcessGateway.start(w.node().name(), slots, resources(w.node(), cores));
            inProcess.add(gateway);
            nodes.add(new Node(nodes.size(), w, slots, cores, CompletableFuture.completedFuture(gateway), 2, true));
        }
    }

    /**
     * Starts a worker process for each node of {@code deployment}, as its {@code <Launch>} says (on this host, over
     * ssh, or adopted when something else starts it), without waiting: each node's gateway completes once its
     * worker has proved it belongs to the run and said hello.
     *
     * @param localCluster whether these are the {@code workers=N} nodes of this host (then each has
     *     {@code config.threads()} executors and works in a per-user temporary directory)
     * @throws IllegalArgumentException if the master cannot listen for its workers
     */
    private void startWorkerProcesses(Deployment deployment, boolean localCluster) {
        List<Deployment.Worker> ws = deployment.workers();
        boolean onThisHost = ws.stream().allMatch(w -> w.settings().launch() instanceof Launch.Process);
        List<String> adopted = ws.stream().filter(w -> w.settings().launch() instanceof Launch.External)
                .map(w -> w.node().name()).toList();
        RunSecret secret = RunSecret.forRun(!adopted.isEmpty(), config.tls());
        this.secret = secret;
        MasterNode master = deployment.project().master();
        String advertised = onThisHost ? "127.0.0.1"
                : master.host().isEmpty() ? LocalMachine.describe().hostName() : master.host();
        int port = config.masterPort() >= 0 ? config.masterPort() : master.port();
        InetSocketAddress bind = onThisHost ? new InetSocketAddress("127.0.0.1", port)
                : master.host().isEmpty() ? new InetSocketAddress(port)
                : new InetSocketAddress(master.host(), port);
        long timeout = config.workerTimeoutMillis();
        try {
            pool = WorkerPool.start(secret.credentials(), secret.file(), bind, adopted,
                    // At most 5 s apart: workers started by hand leave after 30 s of silence by default.
                    Duration.ofMillis(Math.min(5000, Math.max(20, timeout / 4))), Duration.ofMillis(timeout),
                    this::workerLost);
        } catch (RuntimeException e) {
            secret.startedAll();
            throw new IllegalArgumentException("the master cannot listen for its workers on " + bind + ": "
                    + e.getMessage(), e);
        }
        String masterAddress = advertised + ":" + pool.address().getPort();
        if (!adopted.isEmpty()) {
            LOG.console("weft: waiting up to " + config.workerStartMillis() / 1000 + " s for the workers of "
                    + String.join(", ", adopted) + " to connect to " + masterAddress + " (credentials: "
                    + secret.file() + ")");
        }
        // Both ends prove themselves and serialise: the master makes both ready while the workers start.
        io.weft.runtime.worker.process.WorkerMain.warmUpInBackground();
        codec = codecThread();
        PeerDirectory peers = new PeerDirectory(ws.size());
        // Processes are started a few at a time, each by a thread that waits for its hello: a file of thousands
        // of nodes holds a bounded number of threads (adopted workers hold none).
        java.util.concurrent.atomic.AtomicInteger starterCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(MAX_STARTING, ws.size())),
                r -> daemon(r, "weft-start-" + starterCount.incrementAndGet()));
        List<RemoteWorkerGateway> remotes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<CompletableFuture<?>> starting = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            Deployment.Worker w = ws.get(i);
            int cores = localCluster ? config.threads() : Math.max(1, w.node().cpuComputingUnits());
            int slots = localCluster ? config.threads() : Math.min(w.taskSlots(), MAX_EXECUTORS_PER_NODE);
            if (w.settings().launch() instanceof Launch.Process) {
                noteMissingFolders(workDir(w, localCluster));
            }
            List<String> arguments = workerArguments(w, localCluster, masterAddress, onThisHost, cores, slots);
            String node = w.node().name();
            if (LOG.isEnabled(LogLevel.INFO)) {
                LOG.info("starting the worker of " + node + " (" + launchName(w.settings().launch()) + ")");
                LOG.debug("worker " + node + " arguments: " + String.join(" ", arguments));
            }
            int index = i;
            CompletableFuture<WorkerGateway> gateway = new CompletableFuture<>();
            nodes.add(new Node(i, w, slots, cores, gateway, REMOTE_QUEUED_PER_SLOT, false));
            long launched = System.nanoTime();
            CompletableFuture<WorkerPool.Worker> start = w.settings().launch() instanceof Launch.External e
                    ? pool.adoption(node, e.launcher(), masterAddress, Duration.ofMillis(config.workerStartMillis()))
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return startWorker(w, arguments, secret, masterAddress);
                        } catch (WorkerStartException ex) {
                            throw new CompletionException(ex);
                        }
                    }, starters);
            starting.add(start.thenAccept(started -> {
                String peerHost = started.peerHost();
                if (!onThisHost && w.settings().launch() instanceof Launch.Process && isLoopback(peerHost)) {
                    // On the master's host, but with peers elsewhere: they reach it where they reach the master.
                    peerHost = advertised;
                }
                peers.set(index, new PeerDirectory.Peer(peerHost, started.dataPort()));
                RemoteWorkerGateway remote = new RemoteWorkerGateway(index, started.node(), started.connection(),
                        peers, keys, offers, codec, onTaskExit);
                remotes.add(remote);
                pool.route(started.node(), remote::received);
                if (config.verbose() || LOG.isEnabled(LogLevel.INFO)) {
                    String serves = "weft: worker " + node + " serves, " + (System.nanoTime() - launched) / 1_000_000
                            + " ms after the master started it (" + sinceJvmStart() + " ms into the run)";
                    if (config.verbose()) {
                        LOG.console(serves);
                    } else {
                        LOG.info(serves);
                    }
                }
                gateway.complete(remote);
            }).whenComplete((ok, t) -> {
                if (t != null) {
                    startFailed(t);
                }
            }));
        }
        // The credentials file the master made goes once every worker has read it (or will not).
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                .whenComplete((ok, t) -> {
                    secret.startedAll();
                    starters.shutdown();
                });
        codec.scheduleWithFixedDelay(() -> {
            try {
                remotes.forEach(r -> r.expireSilentFetches(SILENT_FETCH_MILLIS));
            } catch (RuntimeException e) {
                // A periodic task that throws is never run again: keep expiring.
                LOG.warn("weft: could not expire silent fetches: " + e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Milliseconds since this JVM started, or -1 if the system does not say. */
    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
    }

    /**
     * A worker could not start: the first such failure is reported, unless the run is over (then a start that
     * fails is one the end of the run stopped).
     */
    private void startFailed(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (!closed.get() && !failureReported.getAndSet(true)) {
            close(); // the other workers stop too: the run cannot go on as described
            onStartFailure.failed(cause.getMessage(), cause);
        }
    }

    /**
     * The thread payloads are encoded and decoded on: a runtime thread, since the serialiser's generated accessors
     * are application classes to the agent and must not wait for pending data.
     */
    private static ScheduledExecutorService codecThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "weft-codec"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new RuntimeThread(r, name) {};
        t.setDaemon(true);
        return t;
    }

    /** A worker process was lost: its gateway fails what waits on it, and the caller sends its attempts elsewhere. */
    private void workerLost(String name, String why) {
        for (Node n : nodes) {
            if (n.worker().node().name().equals(name)) {
                LOG.warn("weft: lost worker " + name + ": " + why);
                WorkerGateway gateway = n.gateway().getNow(null);
                if (gateway != null) {
                    gateway.lose(why);
                }
                onLost.lost(n.index(), why);
            }
        }
    }

    private static String absolute(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The folder a worker works in: a folder per node inside its {@code WorkingDir}, or in the run's own. */
    private Path workDir(Deployment.Worker w, boolean localCluster) {
        String node = w.node().name();
        return localCluster ? localClusterFolder().resolve(node)
                : w.settings().workingDir().resolve(node); // nodes may share a WorkingDir
    }

    /**
     * The folder of a local cluster's workers: made for the run in the temporary folder, with a random name and
     * readable by this user only, so that no one can make it first (a fixed name in a folder everyone writes to
     * could be taken by someone else, who would then see, and could replace, what the workers keep there).
     */
    private synchronized Path localClusterFolder() {
        if (localClusterFolder == null) {
            try {
                // Named for this process, and locked while it runs: a later master can tell that the folder was left
                // by one that no longer runs (LeftWorkerFolders).
                localClusterFolder = Files.createTempDirectory(LeftWorkerFolders.prefix(ProcessHandle.current()
                        .pid()));
                madeForRun.add(localClusterFolder);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot make a folder for the workers in the temporary folder "
                        + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
            }
            try {
                alive = LeftWorkerFolders.holdAlive(localClusterFolder);
            } catch (IOException | RuntimeException e) {
                // A file system without locks: the run goes on; killed, it would leave its folder for good.
                LOG.debug(() -> "cannot lock a file in " + localClusterFolder + ": " + e);
            }
            removeLeftFolders(localClusterFolder);
        }
        return localClusterFolder;
    }

    /** Removes, off the run's start, the empty folders that killed masters left beside this run's ({@code made}). */
    private static void removeLeftFolders(Path made) {
        Runnable tidy = () -> {
            try {
                List<Path> removed = LeftWorkerFolders.removeLeft(made.getParent(), Files.getOwner(made),
                        Instant.now());
                if (!removed.isEmpty()) {
                    LOG.debug(() -> "removed " + removed.size() + " empty worker folders that masters killed before"
                            + " their end left in " + made.getParent());
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug(() -> "could not look for worker folders left in " + made.getParent() + ": " + e);
            }
        };
        try {
            daemon(tidy, "weft-tidy").start();
        } catch (OutOfMemoryError e) {
            if (e.getMessage() == null || !e.getMessage().contains("native thread")) {
                throw e;
            }
            // No thread to spare: the folders stay for a later run, which must not fail for them.
        }
    }

    /** What every worker is told: who it is, where the master is, where to work, and what it has. */
    private List<String> workerArguments(Deployment.Worker w, boolean localCluster, String masterAddress,
            boolean onThisHost, int cores, int slots) {
        String node = w.node().name();
        Path workDir = workDir(w, localCluster);
        long timeout = config.workerTimeoutMillis();
        List<String> arguments = new ArrayList<>(List.of("--node", node, "--master", masterAddress, "--work-dir",
                workDir.toString(), "--cores", String.valueOf(cores), "--slots", String.valueOf(slots),
                // Long enough for a master stopped a while (a long garbage collection, a suspended machine) to find its
                // workers still there; a master that ends closes the connection, which they notice at once.
                "--master-timeout", String.valueOf(Math.max(3 * timeout, MASTER_SILENCE_MILLIS)),
                "--connect-timeout", String.valueOf(config.workerStartMillis())));
        WorkerResources resources = resources(w.node(), cores);
        if (!resources.gpus().isEmpty()) {
            arguments.addAll(List.of("--gpus", resources.gpusArgument()));
        }
        if (resources.memoryBytes() > 0) {
            arguments.addAll(List.of("--memory", String.valueOf(resources.memoryBytes())));
        }
        if (onThisHost) {
            arguments.addAll(List.of("--bind", "127.0.0.1"));
        }
        if (w.settings().launch() instanceof Launch.Process) {
            // It ends with this process, even when this one is killed before it could tell it to.
            arguments.addAll(List.of("--master-pid", String.valueOf(ProcessHandle.current().pid())));
        }
        if (w.node().minPort() > 0) {
            arguments.addAll(List.of("--port", w.node().minPort() + "-" + w.node().maxPort()));
        }
        if (config.runFolder() != null && !(w.settings().launch() instanceof Launch.External)) {
            // Over ssh too: a run folder on a shared file system collects every worker's log.
            arguments.addAll(List.of("--log-file", RunFolder.workerLog(config.runFolder().toAbsolutePath(), node)
                    .toString(), "--log-level", config.logLevel().toString()));
        }
        return arguments;
    }

    /** Starts one worker as its {@code <Launch>} says and waits for its hello. On a thread of its own. */
    private WorkerPool.Worker startWorker(Deployment.Worker w, List<String> arguments, RunSecret secret,
            String masterAddress) throws WorkerStartException {
        ProjectNode settings = w.settings();
        String node = w.node().name();
        Duration startTimeout = Duration.ofMillis(config.workerStartMillis());
        List<String> jvm = new ArrayList<>();
        // The throughput collector unless the user chose one: a second -XX:+Use…GC stops the JVM at once.
        if (config.workerJvmOptions().stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            jvm.add("-XX:+UseParallelGC");
        }
        jvm.add("-Xss4m");
        if (config.runtimeC2()) {
            jvm.add("-Dweft.runtimeCompiler=c2"); // the worker's agent reads it, as the master's did
        }
        jvm.addAll(config.workerJvmOptions());
        if (!settings.libraryPath().isEmpty()) {
            jvm.add("-Djava.library.path=" + settings.libraryPath());
        }
        if (settings.launch() instanceof Launch.Ssh ssh) {
            String weft = settings.installDir().resolve("weft-agent.jar").toString();
            jvm.add(workerAgent(weft));
            // The master's entries, made absolute: the remote shell starts in the login directory.
            String application = settings.classpath().isEmpty() ? absolute(System.getProperty("java.class.path", ""))
                    : settings.classpath();
            String host = settings.host().isEmpty() ? node : settings.host();
            return pool.start(node, LaunchCommands.ssh(ssh.command(), settings.user(), host, jvm,
                    application.isEmpty() ? weft : weft + File.pathSeparator + application, arguments,
                    settings.environmentScript()), Map.of(), secret.credentials().text() + "\n", startTimeout);
        }
        String me = System.getProperty("user.name", "");
        if (!settings.user().isEmpty() && !settings.user().equals(me)) {
            throw new WorkerStartException(node, "a <Process/> worker runs as the master's user (" + me
                    + "), but the node asks for user " + settings.user() + "; start it with <Ssh> instead");
        }
        if (weftClassPath().endsWith(".jar")) {
            jvm.add(localWorkerAgent(weftClassPath(), jvm, !settings.environmentScript().isEmpty()));
            if (config.classCache()) {
                jvm.addAll(ClassCache.jvmOptions(weftClassPath(), ClassCache.layout(config.workerJvmOptions())));
                startedHere = true;
            }
        }
        String classPath = settings.classpath().isEmpty() ? workerClassPath()
                : weftClassPath() + File.pathSeparator + settings.classpath();
        return pool.start(node, LaunchCommands.local(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), jvm, classPath, arguments, settings.environmentScript()), pool.credentialsEnvironment(),
                null, startTimeout);
    }

    private static String launchName(Launch launch) {
        return launch instanceof Launch.Ssh ? "ssh" : launch instanceof Launch.External e ? "started by "
                + e.launcher() : "a process of this host";
    }

    /** The agent of a worker process: it gives the processes tasks start their cores and devices. */
    private static String workerAgent(String jar) {
        return "-javaagent:" + jar + "=role=worker";
    }

    /**
     * The agent of a worker process on this host, given the JVM options before it and whether the node has an
     * environment script. {@code -agentlib:instrument=…} loads the same agent as {@code -javaagent:…}, without the
     * step that turns off the JDK's archived module graph: {@code -javaagent} also adds {@code java.instrument} to
     * the root modules, and the JVM then resolves its module graph itself while it interprets, about 20 ms of each
     * worker's start on a 2-core machine. A worker's main class is on the class path, whose root modules hold
     * {@code java.instrument} anyway. It keeps {@code -javaagent} when the options could differ in a way that
     * matters (as the launcher's {@code AgentOption} does): {@code --limit-modules} could leave the module out, an
     * argument file or {@code -XX:VMOptionsFile} could hold that option unseen, and JDK 17 refuses to write a
     * class-data archive with an agent loaded through {@code -agentlib}; these are looked for in the options and in
     * this process's environment, which the worker inherits, unless an environment script may change it. (A host
     * reached by ssh has an environment of its own: {@link #workerAgent}.)
     */
    static String localWorkerAgent(String jar, List<String> jvmOptions, boolean environmentScript) {
        if (environmentScript) {
            return workerAgent(jar);
        }
        List<String> seen = new ArrayList<>(jvmOptions);
        for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            String value = System.getenv(variable);
            if (value != null) {
                seen.add(value);
            }
        }
        for (String o : seen) {
            for (String word : o.trim().split("\\s+")) {
                if (word.startsWith("@") || word.contains("--limit-modules") || word.contains("VMOptionsFile")
                        || word.contains("ArchiveClassesAtExit") || word.contains("RecordDynamicDumpInfo")
                        || word.contains("-Xshare:dump")) {
                    return workerAgent(jar);
                }
            }
        }
        return "-agentlib:instrument=" + jar + "=role=worker";
    }

    /**
     * The class path of a worker process: Weft's own jar (or classes) and the application's class path, so that
     * task classes and the objects they exchange load on both sides.
     */
    private static String workerClassPath() {
        String application = System.getProperty("java.class.path", "");
        String weft = weftClassPath();
        return application.isEmpty() ? weft : weft.isEmpty() ? application : weft + File.pathSeparator + application;
    }

    /** Where Weft's own classes are: the agent jar, or the runtime's classes in a build. */
    private static String weftClassPath() {
        try {
            return Path.of(WorkerLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "";
        }
    }


    private static Deployment deployment(RuntimeConfig config) {
        if (config.resources() == null) {
            if (config.project() != null) {
                throw new IllegalArgumentException("the project file " + config.project()
                        + " names nodes of a resources file: give it too, with -Dweft.resources=<file>");
            }
            return Deployment.local(thisMachine(config));
        }
        try {
            return Deployment.load(config.resources(), config.project());
        } catch (ResourcesFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** This machine as the run sees it: as many cores as it has executor threads (the threads option). */
    private static LocalMachine thisMachine(RuntimeConfig config) {
        LocalMachine m = LocalMachine.describe();
        return new LocalMachine(m.hostName(), config.threads(), m.memoryBytes(), m.architecture(),
                m.operatingSystem());
    }

    /** What a node's in-process worker hands out: its cores, its GPU devices in declaration order, its memory. */
    private static WorkerResources resources(ComputeNode node, int cores) {
        List<WorkerResources.Gpu> gpus = new ArrayList<>();
        for (Processor p : node.processors()) {
            if (p.type() == ProcessorType.GPU) {
                for (int i = 0; i < p.computingUnits(); i++) {
                    gpus.add(new WorkerResources.Gpu(p.name(), p.memoryBytes(), p.vendor()));
                }
            }
        }
        return new WorkerResources(cores, gpus, node.memoryBytes());
    }

}
