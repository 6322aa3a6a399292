package io.weft.runtime.master;

import io.weft.api.Direction;
import io.weft.api.TaskFailedException;
import io.weft.api.TaskGroup;
import io.weft.api.spi.TaskSites;
import io.weft.api.spi.WeftRuntime;
import io.weft.api.UnschedulableTaskException;
import io.weft.resources.ComputeNode;
import io.weft.resources.Deployment;
import io.weft.resources.Launch;
import io.weft.resources.LocalMachine;
import io.weft.resources.MasterNode;
import io.weft.resources.Processor;
import io.weft.resources.ProcessorType;
import io.weft.resources.ProjectNode;
import io.weft.resources.ResourcesFileException;
import io.weft.runtime.master.cluster.LaunchCommands;
import io.weft.runtime.master.cluster.RunSecret;
import io.weft.runtime.master.cluster.WorkerPool;
import io.weft.runtime.master.cluster.WorkerStartException;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.executor.ExecutorPool;
import io.weft.runtime.worker.executor.TaskContext;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import io.weft.wire.RunCredentials;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Weft runtime in one process: the application-thread side of submission and synchronisation, the analyser
 * thread, and an in-process worker per node of the run (the local machine by default, with one executor thread
 * per core; or each node of a resources file, with one executor thread per task slot).
 *
 * <p>Threading: any application thread may submit and synchronise; the analyser thread owns the graph; executor
 * threads run tasks. Application threads wait only on monitors of the datum, task, group or counter they need.
 * Lifecycle: {@link #start} creates and starts everything; {@link #endOfMain()} waits for the last task and
 * reports; the threads are daemons, so the JVM exits when the program does.
 */
public final class LocalRuntime implements WeftRuntime {
    private final RuntimeConfig config;
    private final DataRegistry registry = new DataRegistry();
    private final Analyser analyser;
    private final AtomicLong taskIds = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int wakeBelow = Integer.MIN_VALUE;
    private final Object inFlightLock = new Object();
    /** The limits application threads wait below, guarded by {@code inFlightLock}. */
    private final List<Integer> waitingLimits = new ArrayList<>();
    private volatile TaskDefinition[] definitions = new TaskDefinition[64];
    private final FailureLog failures = new FailureLog();
    private final ThreadLocal<ArrayDeque<Group>> openGroups = ThreadLocal.withInitial(ArrayDeque::new);
    private final RunStatistics statistics;
    private final AtomicBoolean mainEnded = new AtomicBoolean();
    private volatile Throwable analyserFailure;
    private final List<ExecutorPool> workers = new ArrayList<>();
    private volatile Thread exitHook;
    private Cluster cluster;
    /** The worker processes of a local cluster, by node index; {@code null} when tasks run in this process. */
    private RemoteWorker[] remoteWorkers;
    private WorkerPool pool;
    /** The run's source of keys for what workers keep (objects and files) and the master offers. */
    private final AtomicLong keys = new AtomicLong();
    /** How files reach tasks on nodes that do not see their paths. */
    final FileStaging staging = new FileStaging(keys);

    private LocalRuntime(RuntimeConfig config) {
        this.config = config;
        this.statistics = new RunStatistics(config);
        this.analyser = new Analyser(new TaskGraph(new HomeConsolidator()),
                SchedulingStrategy.named(config.scheduler()), this);
    }

    /**
     * At most this many tasks run at once on one in-process node, whatever it declares: each is an executor
     * thread of this JVM, and they are started only as work arrives.
     */
    static final int MAX_EXECUTORS_PER_NODE = 256;

    /**
     * Single-core tasks per task slot that may wait at a worker process: enough to cover a round trip to the
     * master between short tasks, few enough that a busy worker does not hoard work an idle one could do.
     */
    static final int REMOTE_QUEUED_PER_SLOT = 32;

    /**
     * Creates and starts a runtime on the nodes the configuration describes: the local machine, or the nodes of a
     * resources (and project) file, each served by an in-process worker.
     *
     * @throws IllegalArgumentException if a resources or project file is wrong; the message says where and why
     */
    public static LocalRuntime start(RuntimeConfig config) {
        LocalRuntime runtime = new LocalRuntime(config);
        List<WorkerNode> nodes;
        if (config.workers() > 0) {
            nodes = runtime.startWorkerProcesses(Deployment.localCluster(thisMachine(config), config.workers()), true);
        } else if (config.project() != null) {
            nodes = runtime.startWorkerProcesses(deployment(config), false);
        } else {
            nodes = runtime.startInProcessWorkers(deployment(config));
        }
        runtime.cluster = new Cluster(nodes);
        runtime.analyser.start(runtime.cluster,
                config.placements() == null ? null : PlacementLog.open(config.placements()));
        runtime.statistics.started(nodes.size(), nodes.stream().mapToInt(n -> n.slots).sum());
        Thread hook = new Thread(runtime::atExit, "weft-exit");
        runtime.exitHook = hook;
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.watch();
        return runtime;
    }

    private List<WorkerNode> startInProcessWorkers(Deployment deployment) {
        List<WorkerNode> nodes = new ArrayList<>();
        for (Deployment.Worker w : deployment.workers()) {
            boolean local = config.resources() == null;
            int cores = local ? config.threads() : w.node().cpuComputingUnits();
            int slots = Math.min(local ? config.threads() : w.taskSlots(), MAX_EXECUTORS_PER_NODE);
            WorkerResources resources = resources(w.node(), cores);
            String problem = TaskContext.allocationProblem(w.node().name(), resources, System::getenv);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            ExecutorPool worker = ExecutorPool.start(w.node().name(), slots, resources, analyser::post);
            workers.add(worker);
            nodes.add(new WorkerNode(nodes.size(), w, slots, cores, worker));
        }
        return nodes;
    }

    /**
     * Starts a worker process for each node of {@code deployment}, as its {@code <Launch>} says (on this host, over
     * ssh, or adopted when something else starts it), and waits until each has proved it belongs to the run.
     *
     * @param localCluster whether these are the {@code workers=N} nodes of this host (then each has
     *     {@code config.threads()} executors and works in a per-user temporary directory)
     * @throws IllegalArgumentException naming the worker that could not start, with its own words
     */
    private List<WorkerNode> startWorkerProcesses(Deployment deployment, boolean localCluster) {
        List<Deployment.Worker> ws = deployment.workers();
        boolean onThisHost = ws.stream().allMatch(w -> w.settings().launch() instanceof Launch.Process);
        List<String> adopted = ws.stream().filter(w -> w.settings().launch() instanceof Launch.External)
                .map(w -> w.node().name()).toList();
        RunSecret secret = RunSecret.forRun(!adopted.isEmpty(), config.tls());
        MasterNode master = deployment.project().master();
        String advertised = onThisHost ? "127.0.0.1"
                : master.host().isEmpty() ? LocalMachine.describe().hostName() : master.host();
        InetSocketAddress bind = onThisHost ? new InetSocketAddress("127.0.0.1", master.port())
                : master.host().isEmpty() ? new InetSocketAddress(master.port())
                : new InetSocketAddress(master.host(), master.port());
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
            System.err.println("weft: waiting up to " + config.workerStartMillis() / 1000 + " s for the workers of "
                    + String.join(", ", adopted) + " to connect to " + masterAddress + " (credentials: "
                    + secret.file() + ")");
        }
        try {
            List<CompletableFuture<WorkerPool.Worker>> starting = new ArrayList<>();
            int[] cores = new int[ws.size()];
            int[] slots = new int[ws.size()];
            for (int i = 0; i < ws.size(); i++) {
                Deployment.Worker w = ws.get(i);
                cores[i] = localCluster ? config.threads() : Math.max(1, w.node().cpuComputingUnits());
                slots[i] = localCluster ? config.threads() : Math.min(w.taskSlots(), MAX_EXECUTORS_PER_NODE);
                List<String> arguments = workerArguments(w, localCluster, masterAddress, onThisHost, cores[i],
                        slots[i]);
                String node = w.node().name();
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return startWorker(w, arguments, secret, masterAddress);
                    } catch (WorkerStartException e) {
                        throw new CompletionException(e);
                    }
                }, r -> {
                    Thread t = new Thread(r, "weft-start-" + node);
                    t.setDaemon(true);
                    t.start();
                }));
            }
            // The first failure ends the start, whichever node it is: the others may wait much longer.
            CompletableFuture<Object> firstFailure = new CompletableFuture<>();
            starting.forEach(f -> f.whenComplete((w, t) -> {
                if (t != null) {
                    firstFailure.completeExceptionally(t);
                }
            }));
            try {
                CompletableFuture.anyOf(CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)),
                        firstFailure).join();
            } catch (CompletionException e) {
                pool.close();
                Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
                throw new IllegalArgumentException(cause.getMessage(), cause);
            }
            List<WorkerNode> nodes = new ArrayList<>();
            remoteWorkers = new RemoteWorker[ws.size()];
            for (int i = 0; i < ws.size(); i++) {
                WorkerPool.Worker w = starting.get(i).join();
                String peerHost = w.peerHost();
                if (!onThisHost && ws.get(i).settings().launch() instanceof Launch.Process
                        && isLoopback(peerHost)) {
                    // On the master's host, but with peers elsewhere: they reach it where they reach the master.
                    peerHost = advertised;
                }
                RemoteWorker remote = new RemoteWorker(i, w.node(), slots[i], w.connection(), peerHost, w.dataPort(),
                        analyser::post, keys, remoteWorkers, staging);
                remoteWorkers[i] = remote;
                pool.route(w.node(), remote::received);
                WorkerNode node = new WorkerNode(i, ws.get(i), slots[i], cores[i], remote);
                node.queued = REMOTE_QUEUED_PER_SLOT;
                nodes.add(node);
            }
            return nodes;
        } finally {
            secret.startedAll();
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
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** What every worker is told: who it is, where the master is, where to work, and what it has. */
    private List<String> workerArguments(Deployment.Worker w, boolean localCluster, String masterAddress,
            boolean onThisHost, int cores, int slots) {
        String node = w.node().name();
        Path workDir = localCluster
                // One per user: another user's workers may have made theirs, with their own permissions.
                ? Path.of(System.getProperty("java.io.tmpdir"), "weft-workers-"
                        + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_"), node)
                : w.settings().workingDir().resolve(node); // nodes may share a WorkingDir
        long timeout = config.workerTimeoutMillis();
        List<String> arguments = new ArrayList<>(List.of("--node", node, "--master", masterAddress, "--work-dir",
                workDir.toString(), "--cores", String.valueOf(cores), "--slots", String.valueOf(slots),
                "--master-timeout", String.valueOf(Math.max(3 * timeout, 5000)),
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
        if (w.node().minPort() > 0) {
            arguments.addAll(List.of("--port", w.node().minPort() + "-" + w.node().maxPort()));
        }
        return arguments;
    }

    /** Starts one worker as its {@code <Launch>} says and waits for its hello. On a thread of its own. */
    private WorkerPool.Worker startWorker(Deployment.Worker w, List<String> arguments, RunSecret secret,
            String masterAddress) throws WorkerStartException {
        ProjectNode settings = w.settings();
        String node = w.node().name();
        Duration startTimeout = Duration.ofMillis(config.workerStartMillis());
        if (settings.launch() instanceof Launch.External e) {
            return pool.adopt(node, e.launcher(), masterAddress, startTimeout);
        }
        List<String> jvm = new ArrayList<>(List.of("-XX:+UseParallelGC", "-Xss4m"));
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
            jvm.add(workerAgent(weftClassPath()));
        }
        String classPath = settings.classpath().isEmpty() ? workerClassPath()
                : weftClassPath() + File.pathSeparator + settings.classpath();
        return pool.start(node, LaunchCommands.local(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), jvm, classPath, arguments, settings.environmentScript()), pool.credentialsEnvironment(),
                null, startTimeout);
    }

    /** The agent of a worker process: it gives the processes tasks start their cores and devices. */
    private static String workerAgent(String jar) {
        return "-javaagent:" + jar + "=role=worker";
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
            return Path.of(LocalRuntime.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return "";
        }
    }

    /** A worker process was lost: its running attempts go elsewhere. Heartbeat thread or event loop. */
    private void workerLost(String node, String why) {
        for (int i = 0; i < remoteWorkers.length; i++) {
            RemoteWorker r = remoteWorkers[i];
            if (r != null && r.name().equals(node)) {
                System.err.println("weft: lost worker " + node + ": " + why);
                System.err.flush();
                r.lost(why);
                analyser.post(new Analyser.NodeLost(i, why));
            }
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

    // ---------------------------------------------------------------- submission

    @Override
    public Object submit(int site, Object receiver, Object[] args) {
        checkAnalyser();
        TaskDefinition def = definition(site);
        if (inFlight.get() >= config.maxPending()) {
            awaitInFlightBelow(config.maxPending() * 3 / 4 + 1);
        }
        // Wait for results held in array or collection arguments first: once this call counts its own uses of
        // the data, waiting for one of them here would wait for this very task.
        for (Object a : args) {
            waitForContainedData(a);
        }
        Access[] accesses = new Access[args.length + 2];
        int count = 0;
        int receiverAccess = -1;
        int[] argumentAccess = new int[args.length];
        Object placeholder = null;
        int resultAccess = -1;
        try {
            if (!def.isStatic()) {
                if (receiver == null) {
                    throw new NullPointerException("cannot call task " + def.name() + " on a null receiver");
                }
                receiverAccess = count;
                count = addAccess(accesses, count, receiver, def.receiver());
            }
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (isValue(a)) {
                    argumentAccess[i] = -1;
                    continue;
                }
                int before = count;
                int index = indexOf(accesses, count, a);
                count = addAccess(accesses, count, a, def.directions()[i]);
                argumentAccess[i] = index >= 0 ? index : before;
            }
            if (def.returns() == Placeholders.Kind.INSTANCE || def.returns() == Placeholders.Kind.PROXY) {
                placeholder = Placeholders.create(def.method().getReturnType(), def.returns());
                resultAccess = count;
                accesses[count++] = new Access(registry.acquireObject(placeholder), Mode.RESULT);
            }
        } catch (RuntimeException | Error e) {
            // Nothing was posted: give back the uses counted so far, or later uses of those data would wait forever.
            for (int i = 0; i < count; i++) {
                release(accesses[i].handle);
            }
            throw e;
        }
        Access[] exact = count == accesses.length ? accesses : Arrays.copyOf(accesses, count);
        Group group = openGroups.get().peek();
        TaskNode task = new TaskNode(taskIds.incrementAndGet(), def, exact, args, argumentAccess, receiverAccess,
                resultAccess, group);
        if (group != null) {
            group.unfinished.incrementAndGet();
        }
        inFlight.incrementAndGet();
        statistics.submitted();
        analyser.post(task);
        return def.returns() == Placeholders.Kind.SYNCHRONOUS ? awaitResult(task) : placeholder;
    }

    /**
     * The definition of a call site's task, resolved once.
     *
     * @throws UnschedulableTaskException if no node of the run can ever run it (not cached: every call says so)
     */
    private TaskDefinition definition(int site) {
        TaskDefinition[] defs = definitions;
        if (site < defs.length && defs[site] != null) {
            return defs[site];
        }
        synchronized (this) {
            defs = definitions;
            if (site >= defs.length) {
                defs = Arrays.copyOf(defs, Math.max(site + 1, defs.length * 2));
            }
            if (defs[site] == null) {
                TaskDefinition def = TaskDefinition.resolve(TaskSites.get(site), System::getenv);
                defs[site] = def.withRunnable(cluster.runnable(def));
            }
            definitions = defs;
            return defs[site];
        }
    }

    private static int indexOf(Access[] accesses, int count, Object datum) {
        for (int i = 0; i < count; i++) {
            Object home = accesses[i].handle.home;
            if (home == datum || (datum instanceof Path || datum instanceof File) && home.equals(normalise(datum))) {
                return i;
            }
        }
        return -1;
    }

    /** Adds (or merges into an earlier access to the same datum) an access; returns the new access count. */
    private int addAccess(Access[] accesses, int count, Object datum, Direction direction) {
        boolean file = datum instanceof Path || datum instanceof File;
        DataHandle.Kind kind = file ? DataHandle.Kind.FILE : DataHandle.Kind.OBJECT;
        Mode mode = TaskDefinition.mode(direction, kind);
        if (remoteWorkers != null && !file && (mode == Mode.CONCURRENT || mode == Mode.COMMUTATIVE)) {
            // Tasks in other processes cannot update one object in place together: one after the other instead.
            mode = Mode.UPDATE;
        }
        int existing = indexOf(accesses, count, datum);
        if (existing >= 0) {
            accesses[existing].mode = accesses[existing].mode.merge(mode);
            return count;
        }
        DataHandle handle = file ? registry.acquireFile(normalise(datum)) : registry.acquireObject(datum);
        accesses[count] = new Access(handle, mode);
        return count + 1;
    }

    /**
     * Counts one use of a datum less. Called by the analyser when a task ends, and by a submitter that gave up;
     * the last use retires the handle (unless it carries a failure) and wakes threads waiting for it.
     */
    void release(DataHandle h) {
        if (h.pending.decrementAndGet() == 0) {
            if (h.failure == null && h.pending.compareAndSet(0, -1)) {
                registry.remove(h);
                h.state = null;
            }
            if (h.waiting) {
                synchronized (h) {
                    h.notifyAll();
                }
            }
        }
    }

    private static String normalise(Object file) {
        return DataRegistry.normalise(file instanceof File f ? f.toPath() : (Path) file);
    }

    /** Whether a runtime value is a plain value rather than data the runtime tracks. */
    static boolean isValue(Object o) {
        return o == null || o instanceof String || o instanceof Integer || o instanceof Long || o instanceof Double
                || o instanceof Float || o instanceof Boolean || o instanceof Character || o instanceof Short
                || o instanceof Byte || o instanceof Enum<?> || o instanceof Class<?> || o instanceof BigInteger
                || o instanceof BigDecimal;
    }

    /**
     * An array or collection passed to a task may hold results of tasks still running; the runtime does not
     * track data inside containers, so it waits for them here rather than let the task see unfinished values.
     */
    private void waitForContainedData(Object container) {
        if (container instanceof Object[] array) {
            for (Object o : array) {
                waitIfPending(o);
            }
        } else if (container instanceof Collection<?> c && !(container instanceof java.lang.reflect.Proxy)) {
            if (registry.findObject(container) == null) {
                for (Object o : c) {
                    waitIfPending(o);
                }
            }
        }
    }

    private void waitIfPending(Object o) {
        if (o != null && !isValue(o) && registry.size() > 0) {
            use(o);
        }
    }

    private Object awaitResult(TaskNode task) {
        if (!task.done) {
            synchronized (task) {
                task.waitedFor = true;
                while (!task.done) {
                    checkAnalyser();
                    waitOn(task, "the result of " + task);
                }
            }
        }
        if (task.failure != null) {
            throw report(task.failure);
        }
        if (task.result instanceof RemoteValue r) {
            // A large array, string or record the caller waits for: it stayed in its worker until now.
            RemoteWorker holder = remoteWorkers[r.node()];
            try {
                return holder.fetch(r, FETCH_TIMEOUT_MILLIS);
            } finally {
                holder.forget(new long[] {r.key()});
            }
        }
        return task.result;
    }

    // ---------------------------------------------------------------- synchronisation

    /**
     * Whether a use of data may have to wait or throw: while tasks are pending, and — once a task has failed — for
     * the rest of the run, so that touching a failed result always throws, even after every task has ended.
     */
    @Override
    public boolean hasPendingTasks() {
        return inFlight.get() > 0 || failures.any();
    }

    @Override
    public void use(Object object) {
        if (object instanceof Path || object instanceof File) {
            usePath(normalise(object));
            return;
        }
        if (isValue(object)) {
            return;
        }
        DataHandle h = registry.findObject(object);
        if (h != null) {
            await(h);
        }
    }

    @Override
    public void usePath(String path) {
        String normalised = DataRegistry.normalise(Path.of(path));
        DataHandle h = registry.findFile(normalised);
        if (h != null) {
            await(h);
        } else if (Files.isDirectory(Path.of(normalised))) {
            // Listing or walking a directory: wait for the files that tasks write inside it.
            for (DataHandle inside : registry.filesUnder(normalised)) {
                await(inside);
            }
        }
    }

    private void await(DataHandle h) {
        if (h.pending.get() > 0) {
            synchronized (h) {
                h.waiting = true;
                int seconds = 0;
                while (h.pending.get() > 0) {
                    checkAnalyser();
                    waitOn(h, h.toString());
                    if (++seconds == WARN_AFTER_SECONDS) {
                        warnLongWait(h);
                    }
                }
            }
        }
        TaskFailure f = h.failure;
        if (f != null) {
            throw report(f);
        }
    }

    private static final int WARN_AFTER_SECONDS = 30;

    /**
     * Says why a thread has waited so long, once: a long task is normal, but a thread started by a task (a parallel
     * stream inside a task, say) that touches the task's own data waits for that very task.
     */
    private static void warnLongWait(DataHandle h) {
        System.err.println("weft: warning: thread '" + Thread.currentThread().getName() + "' has waited "
                + WARN_AFTER_SECONDS + " s for " + h + ", still used by " + h.pending.get() + " unfinished task use(s)."
                + " If this thread runs code a task handed it (an anonymous Runnable, say), it is waiting"
                + " for that very task: hand such threads a lambda (lambdas made by task code run as task code), or"
                + " take what they need out of the task's parameters first.");
        System.err.flush();
    }

    void waitOn(Object monitor, String what) {
        try {
            monitor.wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    private void awaitInFlightBelow(int limit) {
        synchronized (inFlightLock) {
            waitingLimits.add(limit);
            wakeBelow = Math.max(wakeBelow, limit);
            try {
                while (inFlight.get() >= limit) {
                    checkAnalyser();
                    if (Thread.currentThread() == exitHook && Signals.received() != null) {
                        // Told to stop while the exit hook waits (the program called System.exit, say): stop waiting.
                        sayStopped();
                        return;
                    }
                    waitOn(inFlightLock, "pending tasks");
                }
            } finally {
                // Another thread may still wait for a lower count: keep waking for the highest limit still waited on.
                waitingLimits.remove(Integer.valueOf(limit));
                wakeBelow = waitingLimits.stream().mapToInt(Integer::intValue).max().orElse(Integer.MIN_VALUE);
            }
        }
    }

    @Override
    public void barrier() {
        awaitInFlightBelow(1);
        TaskFailedException e = failures.reportFirstUnreported();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public TaskGroup openGroup(String name) {
        Group g = new Group(name, this);
        openGroups.get().push(g);
        return g;
    }

    void closeGroup(Group group) {
        openGroups.get().remove(group);
    }

    @Override
    public List<Integer> assignedGpus() {
        TaskContext context = TaskContext.current();
        return context == null ? List.of() : context.gpus();
    }

    @Override
    public List<Integer> assignedCores() {
        TaskContext context = TaskContext.current();
        return context == null ? List.of() : context.cores();
    }

    @Override
    public Map<String, String> taskEnvironment() {
        TaskContext context = TaskContext.current();
        return context == null ? Map.of() : context.environment();
    }

    /**
     * Ends the run once, whichever way the program ends: waits for every task and prints the summary.
     *
     * @return whether this call ended it
     */
    private boolean endRun() {
        if (!mainEnded.compareAndSet(false, true)) {
            return false;
        }
        if (workers.stream().anyMatch(ExecutorPool::executorIsExiting)) {
            return true; // a task called System.exit: waiting for it would wait for ever
        }
        awaitInFlightBelow(1);
        statistics.finished(failures.count());
        return true;
    }

    @Override
    public void endOfMain() {
        if (!endRun()) {
            return;
        }
        TaskFailedException e = failures.reportAllUnreported(System.err);
        if (e != null) {
            throw e;
        }
        if (failures.count() > 0) {
            sayExitStatus(failures.count());
            System.exit(1);
        }
    }

    @Override
    public void endOfMainThrew(Throwable thrown) {
        if (endRun()) {
            failures.printUnreported(System.err);
        }
    }

    /**
     * The JVM is exiting without the end of {@code main} having been seen (the entry class was not instrumented:
     * source-file mode, a launcher, an exclusion, or {@code System.exit} from elsewhere): still wait for the tasks,
     * so no result is lost, and still say — and exit with status 1 — if one failed.
     */
    private void atExit() {
        try {
            if (Signals.received() != null && inFlight.get() > 0) {
                sayStopped();
                return;
            }
            if (endRun()) {
                failures.printUnreported(System.err);
                if (failures.count() > 0) {
                    sayExitStatus(failures.count());
                    closeWorkers();
                    Runtime.getRuntime().halt(1);
                }
            }
        } finally {
            closeWorkers();
        }
    }

    /** Tells the worker processes the run is over and waits (briefly) for them to leave. */
    private void closeWorkers() {
        if (pool != null) {
            pool.close();
        }
    }

    /** The JVM was told to stop ({@link Signals}) with tasks unfinished: say so, without waiting for them. */
    private void sayStopped() {
        System.err.println("weft: stopped by " + Signals.received() + " with " + inFlight.get() + " unfinished tasks");
        System.err.flush();
    }

    private static void sayExitStatus(int failed) {
        System.err.println("weft: " + failed + (failed == 1 ? " task" : " tasks") + " failed; exiting with status 1");
        System.err.flush();
    }

    /** Marks a failure as told to the program and makes the exception that tells it. */
    TaskFailedException report(TaskFailure failure) {
        return failures.report(failure);
    }

    // ---------------------------------------------------------------- called by the analyser thread

    /**
     * A task ended: it ran (for {@code runNanos}), or was cancelled because an input or its group failed
     * ({@code ran} false, {@code failure} the root's).
     */
    void taskEnded(TaskNode task, Object result, TaskFailure failure, boolean ran, long runNanos) {
        if (failure != null) {
            if (ran) {
                failures.add(failure);
            } else {
                failures.poisoned();
            }
        }
        for (Access a : task.accesses) {
            release(a.handle);
        }
        if (task.group != null) {
            task.group.taskEnded(failure);
        }
        if (task.definition.returns() == Placeholders.Kind.SYNCHRONOUS) {
            task.result = result;
            task.failure = failure;
            task.done = true;
            if (task.waitedFor) {
                synchronized (task) {
                    task.notifyAll();
                }
            }
        }
        statistics.ended(failure != null, runNanos);
        if (inFlight.decrementAndGet() < wakeBelow) {
            synchronized (inFlightLock) {
                inFlightLock.notifyAll();
            }
        }
    }

    /** The analyser thread died of a bug: make every waiting thread fail loudly instead of hanging. */
    void analyserFailed(Throwable error) {
        analyserFailure = error;
        System.err.println("weft: internal error in the analyser thread; the run cannot continue:");
        error.printStackTrace();
    }

    void checkAnalyser() {
        Throwable e = analyserFailure;
        if (e != null) {
            throw new IllegalStateException("the Weft runtime failed: " + e, e);
        }
    }

    /** How long moving home a version that a worker keeps may take before the datum fails. */
    private static final long FETCH_TIMEOUT_MILLIS = 600_000;

    /** Moves versions home: transfers object state into the program's object, renames files. */
    private final class HomeConsolidator implements TaskGraph.Consolidator {
        @Override
        public void consolidate(DataHandle handle, Object latest) {
            if (latest instanceof RemoteValue r) {
                latest = remoteWorkers[r.node()].fetch(r, FETCH_TIMEOUT_MILLIS);
            } else if (latest instanceof RemoteFile f) {
                fetchHome(handle, f);
                return;
            }
            if (handle.kind == DataHandle.Kind.OBJECT) {
                Placeholders.fill(handle.home, latest);
                return;
            }
            Path from = Path.of((String) latest);
            Path to = Path.of((String) handle.home);
            try {
                if (!Files.exists(from)) {
                    Files.deleteIfExists(to); // the latest version is "no file", as the task left it
                    return;
                }
                try {
                    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + from + " to " + to, e);
            }
        }

        @Override
        public Object resultValue(DataHandle handle, Object result) {
            if (result instanceof RemoteValue) {
                return result; // it stays in its worker until the datum goes quiet
            }
            if (Placeholders.isProxy(handle.home)) {
                return result; // a proxy cannot stand in for the object inside a task: readers get the object
            }
            try {
                Placeholders.fill(handle.home, result);
                return handle.home;
            } catch (RuntimeException e) {
                return result; // moved home (and reported) when the datum goes quiet
            }
        }

        @Override
        public TaskFailure failed(DataHandle handle, RuntimeException error) {
            TaskFailure f = new TaskFailure(0, "(moving the latest version of " + handle + " home)", 1,
                    "localhost", error);
            // The latest version is left where it is (an object in memory, or a temporary file named in the error).
            failures.add(f);
            return f;
        }

        /**
         * Brings a file version a worker keeps to the program's file: streamed beside it, then renamed over it, so
         * the program never sees half a file.
         */
        private void fetchHome(DataHandle handle, RemoteFile f) {
            Path to = Path.of((String) handle.home);
            try {
                if (f.bytes() < 0) {
                    Files.deleteIfExists(to); // the latest version is "no file", as the task left it
                    return;
                }
                Path part = to.resolveSibling(".weft-" + to.getFileName() + "-" + handle.id + "-" + f.key());
                remoteWorkers[f.node()].fetchFile(f, part, FETCH_TIMEOUT_MILLIS);
                try {
                    Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, to, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    Files.deleteIfExists(part);
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bring " + to + " home from worker "
                        + remoteWorkers[f.node()].name() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void forget(Kept value) {
            if (value instanceof RemoteFile f) {
                staging.forgotten(f);
            }
            remoteWorkers[value.node()].forget(new long[] {value.key()});
        }

        @Override
        public void discard(String temporary) {
            try {
                Files.deleteIfExists(Path.of(temporary));
            } catch (IOException e) {
                // A leftover temporary file is untidy but harmless.
            }
        }
    }
}
