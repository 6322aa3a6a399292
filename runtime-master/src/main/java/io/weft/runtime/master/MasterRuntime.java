package io.weft.runtime.master;

import io.weft.api.TaskFailedException;
import io.weft.api.TaskGroup;
import io.weft.api.spi.WeftRuntime;
import io.weft.log.Log;
import io.weft.runtime.master.config.RuntimeConfig;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.launch.WorkerLauncher;
import io.weft.runtime.worker.executor.TaskContext;
import io.weft.resources.Launch;
import io.weft.resources.ProjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The master runtime that instrumented programs talk to, whether its workers run in this process or in others: it
 * wires the parts together and delegates — submission to the {@link Submitter}, waiting to the
 * {@link Synchroniser}, the graph to the {@link Analyser} thread, workers to the {@link WorkerLauncher} and their
 * gateways — and ends the run.
 *
 * <p>Threading: any application thread may submit and synchronise; the analyser thread owns the graph; workers run
 * tasks. Lifecycle: {@link #start} creates and starts everything; {@link #endOfMain()} waits for the last task and
 * reports; the runtime's threads are daemons, and an exit hook closes the workers when the JVM exits.
 */
public final class MasterRuntime implements WeftRuntime {
    private static final Log LOG = Log.of(MasterRuntime.class);
    private final FailureLog failures;
    private final RunStatistics statistics;
    private final Synchroniser synchroniser;
    private final AtomicBoolean mainEnded = new AtomicBoolean();
    /** In check mode, what the workers found; else {@code null}. */
    private final CheckReport checks;
    private Submitter submitter;
    private WorkerLauncher launcher;
    /** The run's checkpoint folder, or {@code null}. */
    private Checkpoint checkpoint;

    private MasterRuntime(Synchroniser synchroniser, RunStatistics statistics, FailureLog failures,
            CheckReport checks) {
        this.checks = checks;
        this.failures = failures;
        this.statistics = statistics;
        this.synchroniser = synchroniser;
    }

    /**
     * Creates and starts a runtime on the nodes the configuration describes: the local machine, or the nodes of a
     * resources (and project) file, or {@code workers=N} processes on this host.
     *
     * @throws IllegalArgumentException if a resources or project file is wrong, or a worker could not start; the
     *     message says where and why
     */
    public static MasterRuntime start(RuntimeConfig config) {
        return start(config, BeforeMain.take(config));
    }

    /**
     * What the runtime takes on the program's main thread before {@code main}, even when it starts on another:
     * that thread, the terminal (standard error as the JVM gave it) and the progress bar, if the run shows one,
     * which replaces {@code System.out} and {@code System.err} with streams that wipe it before the program's
     * output. The handler of uncaught errors is installed here too, so that one the program installs in
     * {@code main} always comes after Weft's, as without a start beside {@code main}. (Not the signal watch, whose
     * reflective proxy takes some 10 ms: it comes with the rest of the start.) It also holds the task definitions a
     * task call resolves while it waits for a runtime starting beside {@code main}.
     */
    record BeforeMain(Thread mainThread, PrintStream terminal, ProgressBar bar, PreparedTasks prepared) {
        static BeforeMain take(RuntimeConfig config) {
            MasterOutOfMemory.install();
            PrintStream terminal = System.err;
            return new BeforeMain(Thread.currentThread(), terminal,
                    config.progress() ? ProgressBar.onStandardStreams() : null, new PreparedTasks());
        }
    }

    /** As {@link #start(RuntimeConfig)}, with what was taken on the program's main thread. */
    static MasterRuntime start(RuntimeConfig config, BeforeMain before) {
        // First: a folder that cannot be used stops the run before any worker starts.
        Checkpoint checkpoint = config.checkpoint() == null ? null : Checkpoint.open(config.checkpoint(),
                config.program(), config.checkpointEveryTasks(), config.checkpointEveryMillis());
        DataRegistry registry = new DataRegistry();
        FailureLog failures = new FailureLog();
        RunStatistics statistics = new RunStatistics(config, before.terminal(), before.bar());
        Analyser.Inbox inbox = new Analyser.Inbox();
        // Filled as each worker serves; before that nothing is kept there, so nothing asks for its gateway.
        GatewayTable gateways = new GatewayTable();
        Synchroniser synchroniser = new Synchroniser(registry, failures, statistics, inbox, gateways,
                config.waitWarningMillis(), SystemClock.NANOS,
                config.check() ? OneByOneWaits.never() : OneByOneWaits.onStandardError());
        synchroniser.mainThread(before.mainThread());
        AtomicLong keys = new AtomicLong(); // what workers keep (objects and files) and the master offers
        FileStaging staging = new FileStaging(keys);
        SchedulingStrategy strategy = SchedulingStrategy.named(config.scheduler());
        LauncherEvents events = new LauncherEvents(inbox);
        WorkerLauncher launcher = WorkerLauncher.start(config, keys, staging, events, events, events);
        gateways.size(launcher.nodes().size());
        VersionBytes.Budget lineageBytes = VersionBytes.Budget.ofHeap();
        HomeMover mover = new HomeMover(gateways, staging, failures, synchroniser, statistics, inbox,
                launcher.codec(), lineageBytes);
        boolean inProcess = true;
        for (WorkerLauncher.Node n : launcher.nodes()) {
            inProcess &= n.inProcess();
        }
        CheckReport checks = config.check() ? CheckReport.onStandardError() : null;
        Analyser analyser = new Analyser(inbox, new TaskGraph(mover), strategy, synchroniser, staging,
                new ObjectCopies(keys, !inProcess, lineageBytes), checks, SystemClock.NANOS);
        MasterRuntime runtime = new MasterRuntime(synchroniser, statistics, failures, checks);
        if (checkpoint != null) {
            runtime.checkpoint = checkpoint;
            analyser.checkpoint(new CheckpointedTasks(checkpoint));
            if (checkpoint.savedCount() > 0) {
                LOG.warn("weft: resuming from checkpoint folder " + checkpoint.folder() + ": " + checkpoint.savedCount()
                        + (checkpoint.savedCount() == 1 ? " task" : " tasks") + " saved by earlier runs");
            }
        }
        List<WorkerNode> nodes = new ArrayList<>();
        for (WorkerLauncher.Node n : launcher.nodes()) {
            ProjectNode settings = n.worker().settings();
            WorkerGateway now = n.gateway().getNow(null);
            if (now != null) {
                gateways.set(n.index(), now);
            } else {
                n.gateway().thenAccept(g -> {
                    gateways.set(n.index(), g);
                    inbox.post(new AnalyserEvent.NodeServes(n.index(), g));
                });
            }
            nodes.add(new WorkerNode(n.index(), n.worker(), n.slots(), n.cores(), now, n.queuedPerSlot(),
                    n.inProcess() || settings.launch() instanceof Launch.Process ? null
                            : List.copyOf(n.worker().node().sharedDisks().values())));
        }
        if (config.awaitWorkers()) {
            // main starts once every worker serves; one that cannot start stops the run meanwhile.
            launcher.nodes().forEach(n -> n.gateway().join());
        }
        Cluster cluster = new Cluster(nodes);
        runtime.launcher = launcher;
        runtime.submitter = new Submitter(registry, synchroniser, statistics, inbox, cluster, config.maxPending(),
                inProcess, config.check(), before.prepared());
        analyser.start(cluster, config.placements() == null ? null : PlacementLog.open(config.placements()));
        if (!inProcess) {
            watchDropped(registry, inbox);
        }
        int slots = 0;
        for (WorkerNode n : nodes) {
            slots += n.slots;
        }
        statistics.started(nodes.size(), slots, !inProcess);
        Thread hook = new Thread("weft-exit") {
            @Override
            public void run() {
                runtime.atExit();
            }
        };
        synchroniser.exitHook(hook);
        Runtime.getRuntime().addShutdownHook(hook);
        Signals.watch();
        if (config.wallClockLimitMillis() > 0) {
            WallClock.watch(config.wallClockLimitMillis(), synchroniser::inFlight);
        }
        return runtime;
    }

    @Override
    public Object submit(int site, Object receiver, Object[] args) {
        return submitter.submit(site, receiver, args);
    }

    @Override
    public boolean hasPendingTasks() {
        return synchroniser.hasPendingTasks();
    }

    @Override
    public int taskPace() {
        return statistics.pace();
    }

    @Override
    public void use(Object object) {
        synchroniser.use(object);
    }

    @Override
    public boolean ready(Object object) {
        return synchroniser.ready(object);
    }

    @Override
    public boolean plain(Class<?> type) {
        return DataRegistry.plain(type);
    }

    @Override
    public void store(Object object) {
        synchroniser.store(object);
    }

    @Override
    public void usePath(String path) {
        synchroniser.usePath(path);
    }

    @Override
    public void barrier() {
        synchroniser.barrier();
    }

    @Override
    public TaskGroup openGroup(String name) {
        return synchroniser.openGroup(name);
    }

    @Override
    public List<Integer> assignedGpus() {
        return TaskContext.currentGpus();
    }

    @Override
    public List<Integer> assignedCores() {
        return TaskContext.currentCores();
    }

    @Override
    public Map<String, String> taskEnvironment() {
        return TaskContext.currentEnvironment();
    }

    @Override
    public void processStarted(Process process) {
        TaskContext.processStarted(process);
    }

    // ---------------------------------------------------------------- end of the run

    /**
     * Ends the run once, whichever way the program ends: waits for every task, brings home the files workers keep,
     * and prints the summary.
     *
     * @return whether this call ended it
     */
    private boolean endRun() {
        if (!mainEnded.compareAndSet(false, true)) {
            return false;
        }
        if (launcher.executorIsExiting()) {
            return true; // a task called System.exit: waiting for it would wait for ever
        }
        if (synchroniser.cannotGoOn()) {
            closeCheckpoint(); // what finished is kept for the next run
            return true; // every worker was lost: nothing left will run, and the program was told
        }
        synchroniser.awaitInFlightBelow(1, "at the end of main");
        synchroniser.bringHome(true);
        closeCheckpoint();
        statistics.finished(failures.count());
        if (checks != null) {
            checks.summarise();
        }
        return true;
    }

    /** Whether the check mode found undeclared writes, which make the exit status 1. */
    private boolean checkFound() {
        return checks != null && checks.count() > 0;
    }

    @Override
    public void endOfMain() {
        if (!endRun()) {
            return;
        }
        synchroniser.checkAnalyser(); // a run that could not go on ends with its reason, even if main caught it
        TaskFailedException e = failures.reportAllUnreported(System.err);
        if (e != null) {
            throw e;
        }
        // Every failure reached the program, which handled it and ended normally: the status is the program's, as in
        // its sequential run.
        if (checkFound()) {
            System.exit(1); // the check's summary said so
        }
    }

    @Override
    public void endOfMainThrew(Throwable thrown) {
        // Out of memory, main's own error ends the run at once with the master's status (3), as in any other thread:
        // waiting for the tasks would need memory there is none of, and a task counted but not yet handed on when the
        // error struck would be waited for for ever.
        io.weft.wire.OutOfMemory.check(thrown);
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
            if (Signals.announced()) {
                return; // stopped for a reason already said (the wall-clock limit, a task's System.exit): its status
            }
            if (Signals.received() != null && synchroniser.inFlight() > 0) {
                synchroniser.sayStopped();
                return;
            }
            if (endRun()) {
                int unreported = failures.printUnreported(System.err);
                if (unreported > 0) {
                    sayExitStatus(unreported);
                }
                if (unreported > 0 || checkFound() || synchroniser.cannotGoOn()) {
                    closeCheckpoint();
                    launcher.close();
                    Runtime.getRuntime().halt(1);
                }
            }
        } finally {
            closeCheckpoint();
            launcher.close();
        }
    }

    /** Writes out the checkpoint journal, and says how many tasks it spared, once. */
    private void closeCheckpoint() {
        Checkpoint c = checkpoint;
        if (c == null) {
            return;
        }
        synchronized (c) {
            if (checkpoint == null) {
                return;
            }
            checkpoint = null;
        }
        c.close();
        int restored = c.restored.get();
        if (restored > 0) {
            LOG.warn("weft: " + restored + (restored == 1 ? " task was" : " tasks were") + " not run again: their"
                    + " outputs came from checkpoint folder " + c.folder());
        }
    }

    /**
     * Tells the analyser of each object the program dropped while the registry knew it: a version a worker keeps
     * for it is then forgotten there, unread.
     */
    private static void watchDropped(DataRegistry registry, Analyser.Inbox inbox) {
        Thread t = new io.weft.api.spi.RuntimeThread(() -> {
            while (true) {
                DataHandle h;
                try {
                    h = registry.dropped();
                } catch (InterruptedException e) {
                    return;
                }
                if (h != null) {
                    inbox.post(new AnalyserEvent.Dropped(h));
                }
            }
        }, "weft-dropped") {};
        t.setDaemon(true);
        t.start();
    }

    /**
     * A worker process could not start (the program may be running already): the run stops as a start-up failure
     * does, with status 2 and the message that names the node. The launcher has stopped the other workers.
     */
    private static void startFailed(String message, Throwable cause) {
        LOG.error("weft: error: " + message);
        Runtime.getRuntime().halt(2);
    }

    /**
     * A task called {@code System.exit(status)} on a worker: the program ends with that status, as it does when the
     * task runs in this JVM, rather than run the task again elsewhere. The exit hook stops the workers without
     * waiting for the tasks still running, as it does in this JVM. Its own thread: this is a network thread.
     */
    private static void taskExited(String task, String node, int status) {
        if (!Signals.stopping("System.exit in a task")) {
            return; // exiting already
        }
        LOG.warn("weft: task " + task + " called System.exit(" + status + ") on worker " + node
                + "; the program exits with status " + status + ", as it does without worker processes");
        RunStop.exitSoon(status, "weft-task-exit");
    }

    /**
     * What the launcher tells of the workers: a lost one goes to the analyser; one that cannot start, or a task that
     * called {@code System.exit} on one, ends the run. (One class rather than three lambdas: see {@link SystemClock}.)
     */
    private static final class LauncherEvents implements WorkerLauncher.LossListener,
            WorkerLauncher.StartFailureListener, io.weft.runtime.master.remote.RemoteWorkerGateway.ExitListener {
        private final Analyser.Inbox inbox;

        LauncherEvents(Analyser.Inbox inbox) {
            this.inbox = inbox;
        }

        @Override
        public void lost(int node, String why) {
            inbox.post(new AnalyserEvent.NodeLost(node, why));
        }

        @Override
        public void failed(String message, Throwable cause) {
            startFailed(message, cause);
        }

        @Override
        public void taskExited(String task, String node, int status) {
            MasterRuntime.taskExited(task, node, status);
        }
    }

    /** The gateway of each node, by index, as its worker comes to serve. Thread-safe. */
    private static final class GatewayTable implements java.util.function.IntFunction<WorkerGateway> {
        private volatile java.util.concurrent.atomic.AtomicReferenceArray<WorkerGateway> table =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(0);

        void size(int nodes) {
            table = new java.util.concurrent.atomic.AtomicReferenceArray<>(nodes);
        }

        void set(int node, WorkerGateway gateway) {
            table.set(node, gateway);
        }

        @Override
        public WorkerGateway apply(int node) {
            return table.get(node);
        }
    }

    private static void sayExitStatus(int failed) {
        LOG.error("weft: " + failed + (failed == 1 ? " task" : " tasks") + " failed without the program being"
                + " told; exiting with status 1");
    }
}
