package io.weft.runtime.master;

import io.weft.api.OnFailure;
import io.weft.api.spi.RuntimeThread;
import io.weft.log.Log;
import io.weft.runtime.master.gateway.InProcessGateway;
import io.weft.runtime.master.gateway.Kept;
import io.weft.runtime.master.gateway.KeptAhead;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.gateway.WorkerLostException;
import io.weft.runtime.master.task.Placeholders;
import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.InputsNotRestoredException;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The analyser: it owns the task graph and the data versions. It takes {@link AnalyserEvent}s from its
 * {@link Inbox} — new tasks, outcomes, lost workers, data the program asks for, versions that arrived home —
 * updates the graph, and sends ready tasks to the nodes where the scheduling strategy places them.
 *
 * <p>One thread at a time does this work: the {@code weft-analyser} thread, or, in local mode, an executor thread
 * between two attempts that takes the inbox's turn ({@link Inbox#postAndHandle}), or, with worker processes, the
 * event loop that read a worker's report while the analyser thread was parked
 * ({@link Inbox#postAndHandleIfParked}). The turn is taken and given back with an atomic flag, whose ordering makes
 * each holder see everything the previous one did; "analyser thread" in the comments of this package means the
 * thread holding the turn. It never blocks and never serialises: a task is handed to its node's gateway, which posts
 * the outcome back here ({@link #reported}); a version a worker keeps is fetched by the {@link HomeMover}, which
 * posts it back when it arrives. Every other thread only posts.
 */
final class Analyser implements Runnable {
    private static final Log LOG = Log.of(Analyser.class);
    /**
     * The analyser's inbox: any thread posts; one thread at a time handles what is posted — the analyser thread, an
     * executor thread of this process that has just finished an attempt ({@link #postAndHandle}), or an event loop
     * that read a worker's report while the analyser thread was parked ({@link #postAndHandleIfParked}). An executor
     * that handles its own report places the task it released on its own queue and runs it next, with no thread
     * woken on the way: a chain of dependent tasks runs like a loop on one core. When it is empty the analyser thread
     * spins briefly (events from the program or from worker processes then cost no context switch) and then parks.
     *
     * <p>Not final only so that a test can make a post fail.
     */
    static class Inbox {
        private static final long SPIN_NANOS = 20_000;
        /**
         * How many events an executor thread handles before it leaves the rest to the analyser thread: it has tasks
         * to run, and a program submitting thousands of tasks must not keep it.
         */
        static final int HANDLED_BY_EXECUTOR = 8;
        private final ConcurrentLinkedQueue<AnalyserEvent> queue = new ConcurrentLinkedQueue<>();
        /** Held by the thread that handles events now. */
        private final AtomicBoolean handling = new AtomicBoolean();
        private volatile boolean parked;
        private volatile Thread owner;
        /** The analyser, once its thread runs; {@code null} before (and in tests that step it): only it handles. */
        private volatile Analyser analyser;
        /** Set when handling an event failed: nobody handles any more. */
        private volatile boolean stopped;

        /** Hands an event to the analyser. Any thread. */
        void post(AnalyserEvent event) {
            enqueue(event);
            wake();
        }

        /**
         * Queues an event, waking nobody: {@link #wake} must follow. An error thrown here (out of memory making the
         * queue's node) means that the event was not queued.
         */
        void enqueue(AnalyserEvent event) {
            queue.offer(event);
        }

        /** Wakes the analyser thread if it is parked, for the events queued ({@link #enqueue}). */
        void wake() {
            // A thread that has the turn looks at the inbox when it lets the turn go, and wakes the analyser thread
            // if events are left: no need to wake it now.
            if (parked && !handling.get()) {
                LockSupport.unpark(owner);
            }
        }

        /**
         * Hands an event to the analyser and, if no thread handles events now, handles it (and a few more) on this
         * thread, which the caller has checked may run the analyser's work: an executor thread of an in-process
         * worker, between two attempts, or the event loop that read a worker's report
         * ({@code WorkerGateway.reportHandling}; a runtime thread).
         */
        void postAndHandle(AnalyserEvent event) {
            queue.offer(event);
            Analyser a = analyser;
            if (a == null || stopped || !handle(a, HANDLED_BY_EXECUTOR)) {
                // As in post: a thread holding the turn looks at the inbox as it lets the turn go.
                if (parked && !handling.get()) {
                    LockSupport.unpark(owner);
                }
            }
        }

        /**
         * As {@link #postAndHandle}, but only if the analyser thread is parked, to spare waking it; else it is
         * awake and takes the event with the others.
         */
        void postAndHandleIfParked(AnalyserEvent event) {
            if (parked) {
                postAndHandle(event);
            } else {
                post(event);
            }
        }

        /**
         * Handles up to {@code most} events on this thread if no other handles them now.
         *
         * @return whether it did (then any events left were handed to the analyser thread)
         */
        private boolean handle(Analyser a, int most) {
            if (!handling.compareAndSet(false, true)) {
                return false;
            }
            try {
                for (int n = 0; n < most && !stopped; n++) {
                    AnalyserEvent e = queue.poll();
                    if (e == null) {
                        break;
                    }
                    a.stepOrStop(e);
                }
            } finally {
                handling.set(false);
            }
            // Posted while this thread handled, or left over: the analyser thread sees them (it does not park while
            // the queue holds events, and it is woken if it parked while this thread held the turn).
            if (!queue.isEmpty() && parked) {
                LockSupport.unpark(owner);
            }
            return true;
        }

        /** Waits for events and handles them, until handling one fails. Analyser thread. */
        void serve(Analyser a) {
            while (!stopped) {
                if (queue.isEmpty() || handling.get()) {
                    awaitWork();
                }
                handle(a, Integer.MAX_VALUE);
            }
        }

        /** Waits until an event is posted and no other thread handles events. Analyser thread. */
        private void awaitWork() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            // The clock is read every 64 turns only: on two cores, the spin must leave the event loops room.
            while ((queue.isEmpty() || handling.get()) && ((++spins & 63) != 0 || System.nanoTime() < spinUntil)) {
                Thread.onSpinWait();
            }
            while (queue.isEmpty() || handling.get()) {
                parked = true;
                // Checked after parked is set: a poster or handler that finishes after this sees parked, and
                // unparks (an unpark before the park makes it return at once).
                if (queue.isEmpty() || handling.get()) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }

        /** The next event, waiting for one. For tests that step the analyser on their own thread. */
        AnalyserEvent take() {
            AnalyserEvent e = queue.poll();
            while (e == null) {
                awaitWork();
                e = queue.poll();
            }
            return e;
        }

        boolean isEmpty() {
            return queue.isEmpty();
        }
    }

    private final Inbox inbox;
    private final TaskGraph graph;
    private final ReadyQueue readyQueue;
    /** How many tasks the program has called: the ready queue ranks its tasks again as this grows. */
    private long called;
    private final SchedulingStrategy strategy;
    private final TaskEnds ends;
    private final FileStaging staging;
    private final ObjectCopies copies;
    private final HashMap<Long, TaskNode> running = new HashMap<>();
    /** Reports of attempts sent ahead that came early ({@link TaskNode#earlyEnd}), to handle now. */
    private final ArrayDeque<AnalyserEvent.Completed> earlyEnds = new ArrayDeque<>();
    private final CheckReport checks;
    private final LongSupplier nanoClock;
    private Cluster cluster;
    private PlacementLog placements;
    /** The run's checkpoint folder and what it does with it, or {@code null} for none. */
    private CheckpointedTasks checkpoint;

    /** Saves finished tasks in a checkpoint folder, and completes those it saved earlier without running them. */
    void checkpoint(CheckpointedTasks checkpoint) {
        this.checkpoint = checkpoint;
    }
    private final Lineage lineage;
    /** Whether a worker was lost: from then on, inputs are checked before a task goes, and made again if lost. */
    private boolean anyLost;
    /** Why the run cannot go on, once every worker was lost; {@code null} until then. */
    private String everyWorkerLost;

    /** @param nanoClock {@link System#nanoTime}, or a test's clock: when each attempt was sent, for {@link #describe} */
    Analyser(Inbox inbox, TaskGraph graph, SchedulingStrategy strategy, TaskEnds ends, FileStaging staging,
            ObjectCopies copies, LongSupplier nanoClock) {
        this(inbox, graph, strategy, ends, staging, copies, null, nanoClock);
    }

    /**
     * @param checks in check mode, where the undeclared writes the workers find go; else {@code null}, and the
     *     workers do not look for them
     * @param nanoClock {@link System#nanoTime}, or a test's clock: when each attempt was sent, for {@link #describe}
     */
    Analyser(Inbox inbox, TaskGraph graph, SchedulingStrategy strategy, TaskEnds ends, FileStaging staging,
            ObjectCopies copies, CheckReport checks, LongSupplier nanoClock) {
        this.checks = checks;
        this.inbox = inbox;
        this.graph = graph;
        this.strategy = strategy;
        this.ends = ends;
        this.staging = staging;
        this.copies = copies;
        this.nanoClock = nanoClock;
        Wiring wiring = new Wiring();
        this.readyQueue = strategy.followsCriticalPath() ? new ReadyQueue(new CriticalPath(wiring), wiring)
                : new ReadyQueue();
        graph.onLeading(readyQueue);
        this.lineage = new Lineage(graph, wiring, wiring, ends);
    }

    /**
     * What the analyser's parts ask of it: a task's expected time (from the cluster's measurements), how many tasks
     * the program has called, a task to put back on the ready queue, a task to fail.
     * One class rather than a lambda for each: the runtime starts while the JVM interprets, where each lambda costs
     * a class spun at run time. Analyser thread.
     */
    private final class Wiring implements ToLongFunction<TaskDefinition>, LongSupplier, Consumer<TaskNode>,
            BiConsumer<TaskNode, TaskFailure> {
        @Override
        public long applyAsLong(TaskDefinition definition) {
            return cluster.expectedNanos(definition);
        }

        @Override
        public long getAsLong() {
            return called;
        }

        @Override
        public void accept(TaskNode task) {
            readyQueue.addAllReleased(List.of(task));
        }

        @Override
        public void accept(TaskNode task, TaskFailure failure) {
            fail(task, failure);
        }
    }

    /**
     * Starts the analyser thread, dispatching to the nodes of {@code cluster}.
     *
     * @param placements where to record each task's placement, or {@code null}
     */
    void start(Cluster cluster, PlacementLog placements) {
        attach(cluster, placements);
        // A runtime thread: code it reaches in application classes (the serialiser's generated accessors, which
        // the agent instruments like any class of the application's packages) must not wait for pending data.
        Thread t = new RuntimeThread(this, "weft-analyser") {};
        t.setDaemon(true);
        inbox.owner = t;
        inbox.analyser = this;
        t.start();
    }

    /**
     * Makes the analyser dispatch to the nodes of {@code cluster} without starting its thread: {@link #start} does
     * this first; tests then {@link #step} it on their own thread.
     */
    void attach(Cluster cluster, PlacementLog placements) {
        this.cluster = cluster;
        this.placements = placements;
        lineage.attach(cluster.nodes);
    }

    @Override
    public void run() {
        inbox.serve(this);
    }

    /**
     * Handles an event and dispatches what became ready, on whichever thread has the inbox's turn; if that fails,
     * the run cannot go on: the inbox stops and the program is told.
     */
    private void stepOrStop(AnalyserEvent event) {
        try {
            step(event);
        } catch (RuntimeException | Error e) {
            stop(e);
        }
    }

    /** The analyser's work failed: the run cannot go on. */
    private void stop(Throwable e) {
        inbox.stopped = true;
        try {
            io.weft.wire.OutOfMemory.check(e); // the master's memory is exhausted: the run stops at once
        } finally {
            // A bug of ours must not silently stall every waiting thread: recorded even if the check itself fails.
            ends.analyserFailed(e);
        }
    }

    /** One turn of the analyser's loop: handles an event, then dispatches what became ready. Analyser thread. */
    void step(AnalyserEvent event) {
        handle(event);
        dispatch();
        graph.quieted().clear(); // only the graph's tests read it
    }

    /** Handles one event; the caller then dispatches what became ready. Analyser thread (tests call it too). */
    void handle(AnalyserEvent event) {
        // Java 17: no pattern switch; the event types are sealed, so this chain is complete.
        if (event instanceof TaskNode task) {
            called++;
            graph.register(task);
            if (checkpoint != null) {
                checkpoint.identify(task);
            }
            if (task.waitingOn > 0) {
                tryAhead(task);
            }
            drainReady(false);
        } else if (event instanceof AnalyserEvent.Completed c) {
            TaskNode ending = running.get(c.outcome().taskId());
            TaskNode task = completed(c.outcome(), c.attempt());
            if (ending != null && ending.group != null) {
                stopFailedGroups(ending.group);
            }
            if (task != null) {
                for (TaskNode released : graph.ready()) {
                    released.executorHint = c.outcome().executor();
                    released.hintNode = task.node.index;
                }
            }
            drainReady(true);
            AnalyserEvent.Completed early;
            while ((early = earlyEnds.poll()) != null) {
                handle(early); // a report that came before the ends its task waited for, all handled now
            }
        } else if (event instanceof AnalyserEvent.CancelGroup g) {
            stopGroup(g.group());
        } else if (event instanceof AnalyserEvent.NodeLost lost) {
            lose(lost);
        } else if (event instanceof AnalyserEvent.BringHome b) {
            graph.wantHome(b.handle());
        } else if (event instanceof AnalyserEvent.HomeArrived h) {
            RuntimeException error = h.error() == null ? null : lineage.recoverHome(h.handle(), h.version(), h.error());
            if (h.error() == null || error != null) { // else its version is made again first (lost with a worker)
                graph.arrived(h.handle(), h.version(), h.value(), error);
            }
        } else if (event instanceof AnalyserEvent.Dropped d) {
            graph.dropped(d.handle());
        } else if (event instanceof AnalyserEvent.NodeServes n) {
            cluster.nodes[n.node()].gateway = n.gateway();
        } else if (event instanceof AnalyserEvent.WithdrawAnswered w) {
            cluster.nodes[w.from()].withdrawing = false;
            cluster.nodes[w.to()].expecting -= w.asked();
        } else if (event instanceof AnalyserEvent.DescribeWait d) {
            d.answer().complete(describe(d.handle(), d.task()));
        }
    }

    /** Tasks listed by name in a description; the rest are counted. */
    static final int DESCRIBED = 5;

    /**
     * What a thread that has waited long waits for, one line per task (at most {@link #DESCRIBED}, then a count):
     * the unfinished tasks that use {@code handle}, or {@code task}, or (both {@code null}) the tasks sent to
     * workers and those ready to go, for a barrier or the end of {@code main}. Analyser thread.
     */
    List<String> describe(DataHandle handle, TaskNode task) {
        long now = nanoClock.getAsLong();
        List<String> lines = new ArrayList<>();
        List<TaskNode> tasks = new ArrayList<>();
        if (handle != null) {
            tasks.addAll(usersOf(handle));
            if (handle.moving != null && handle.moving.location >= 0) {
                lines.add("its latest version is on its way home from " + cluster.nodes[handle.moving.location].name());
            }
        } else if (task != null) {
            tasks.add(task);
        } else {
            tasks.addAll(running.values());
        }
        tasks.sort(Comparator.comparingLong(t -> t.id));
        for (int i = 0; i < tasks.size() && i < DESCRIBED; i++) {
            lines.add(describe(tasks.get(i), now));
        }
        if (tasks.size() > DESCRIBED) {
            lines.add("and " + (tasks.size() - DESCRIBED) + " more");
        }
        if (handle == null && task == null && !readyQueue.isEmpty()) {
            lines.add(readyQueue.size() + (readyQueue.size() == 1 ? " task is" : " tasks are")
                    + " ready, waiting for a free executor");
        }
        return lines;
    }

    private static String describe(TaskNode t, long now) {
        String name = t.rerunOf != null ? t.name() + " (#" + t.rerunOf.id + ", run again to make lost data)"
                : t.name() + " (#" + t.id + ")";
        if (t.finished) {
            return name + ": ended";
        }
        if (t.node != null) {
            return name + ": running on " + t.node.name() + String.format(Locale.ROOT, " for %.0f s",
                    (now - t.sentNanos) / 1e9) + (t.attemptsMade() > 1 ? " (attempt " + t.attemptsMade() + ")" : "");
        }
        if (t.waitingOn > 0) {
            return name + ": not started, waiting for " + t.waitingOn + (t.waitingOn == 1 ? " task" : " tasks")
                    + " it depends on";
        }
        return name + ": not started, ready and waiting for " + (t.reserved != null ? "resources on "
                + t.reserved.name() : "a free executor");
    }

    /** The unfinished tasks that use a datum: those sent to workers, and those that read or write its versions. */
    private List<TaskNode> usersOf(DataHandle h) {
        LinkedHashSet<TaskNode> users = new LinkedHashSet<>();
        for (TaskNode t : running.values()) {
            for (Access a : t.accesses) {
                if (a.handle == h) {
                    users.add(t);
                }
            }
        }
        DataState s = h.state;
        if (s != null) {
            addUnfinished(users, s.current);
            if (s.openGroup != null) {
                addUnfinished(users, s.openGroup);
                addUnfinished(users, s.openGroup.base);
            }
        }
        return new ArrayList<>(users);
    }

    private static void addUnfinished(LinkedHashSet<TaskNode> users, Version v) {
        if (v == null) {
            return;
        }
        for (TaskNode p : v.producers) {
            if (!p.finished) {
                users.add(p);
            }
        }
        if (v.readers != null) {
            for (TaskNode r : v.readers) {
                if (!r.finished) {
                    users.add(r);
                }
            }
        }
    }

    /** Records an outcome; returns its task, or {@code null} for a report of an attempt no longer running. */
    private TaskNode completed(TaskOutcome outcome, int attempt) {
        TaskNode task = running.get(outcome.taskId());
        if (task == null || task.attempts != attempt) {
            // Its worker was lost meanwhile: the task failed, or a later attempt runs elsewhere and this report,
            // already on its way when the loss was noticed, is not that attempt's.
            return null;
        }
        if (task.behind != null) {
            if (reportedBehind(task)) {
                // A task it waits for ran on another worker, whose report is still on its way over another
                // connection, or has come and waits itself: this one is handled once those ends are.
                task.earlyEnd = new AnalyserEvent.Completed(outcome, attempt);
                return null;
            }
            // Not from its worker, which reports the tasks it waits for first: it could not be sent (an argument
            // that does not serialise, say). It waits here again, and goes the usual way, failing there as it would.
            takeBackAhead(task, null);
            task.neverAhead = true;
            return null;
        }
        running.remove(outcome.taskId());
        endAheadReads(task);
        if (!outcome.succeeded()) {
            takeBackAhead(task); // its worker dropped those sent ahead behind it, as this attempt kept nothing
        }
        if (outcome.isWithdrawn()) {
            givenBack(task);
            return null;
        }
        if (task.cancelRequested && !outcome.succeeded()) {
            endCancelled(task, outcome.worker(), outcome.error(), outcome.endNanos() - outcome.startNanos());
            return task;
        }
        if (afterLoss(task, outcome)) {
            return null;
        }
        cluster.ended(task, outcome.endNanos() - outcome.startNanos(), outcome.succeeded());
        if (placements != null) {
            placements.record(task, outcome);
        }
        Throwable error = outcome.error();
        if (error == null && task.resultAccess >= 0) {
            String problem = Placeholders.whyNot(task.accesses[task.resultAccess].handle.home(), outcome.result());
            if (problem != null) {
                error = new IllegalStateException(problem);
            }
        }
        TaskFailure failure = error == null ? null
                : new TaskFailure(task.id, task.name(), task.attemptsMade(), outcome.worker(), error, task.earlierAttempts);
        if (failure != null && outcome.succeeded()) {
            takeBackAhead(task); // a result its placeholder cannot take: its worker did not count it produced either
        }
        if (failure != null && tryAgain(task, failure)) {
            return null;
        }
        if (failure != null && task.definition.policy().onFailure() == OnFailure.IGNORE
                && !InputsNotRestoredException.in(failure.cause)) {
            // Its writes are discarded: data it updated keep the versions it read, put back as they were.
            failure.ignored = true;
            graph.ignore(task, outcome.used(), failure);
        } else {
            graph.complete(task, outcome.used(), outcome.result(), failure);
        }
        if (task.ahead != null) {
            aheadStarted(task);
        }
        forgetKeptAhead(task);
        trimSent(task.node);
        ends.taskEnded(task, outcome.result(), failure, true, outcome.endNanos() - outcome.startNanos());
        return task;
    }

    /** Retries announced on standard error; later ones go to the run's log only. */
    private final CappedWarnings retries = new CappedWarnings(LOG, 10, "",
            " (further retries go to the run's log only)");

    /**
     * Sends a failed attempt round again if the task's policy asks for it ({@link OnFailure#RETRY}, attempts left)
     * and the attempt left its data as it found them: to the front of the ready queue, to another node if one fits.
     *
     * @return whether the task runs again
     */
    private boolean tryAgain(TaskNode task, TaskFailure failure) {
        FailurePolicy policy = task.definition.policy();
        if (policy.onFailure() != OnFailure.RETRY || task.attemptsMade() > policy.retries()
                || task.groupStop() != null || InputsNotRestoredException.in(failure.cause)) {
            return false;
        }
        WorkerNode from = task.node;
        String line = "weft: task " + task.name() + " (#" + task.id + ") failed on worker " + failure.worker
                + " (attempt " + task.attemptsMade() + " of " + (policy.retries() + 1) + "): " + failure.cause
                + "; trying again" + (cluster.nodes.length > 1 ? " on another worker if one is free" : "");
        retries.say(line);
        if (task.earlierAttempts == null) {
            task.earlierAttempts = new ArrayList<>(policy.retries());
        }
        task.earlierAttempts.add(failure);
        task.node = null;
        task.implementation = null;
        task.withdrawnFrom = cluster.nodes.length > 1 ? from.index : -1;
        trimSent(from);
        readyQueue.addAllReleased(List.of(task));
        return true;
    }

    // ---------------------------------------------------------------- stopped groups, cancelled attempts

    /**
     * A task of {@code group} ended: if that made the group (or one it is nested in) fail, its running tasks, and
     * those of the groups nested in it, are cancelled — once per group.
     */
    private void stopFailedGroups(Group group) {
        for (Group g = group; g != null; g = g.parent) {
            if (g.failure != null && !g.stopSent) {
                stopGroup(g);
            }
        }
    }

    /**
     * A group failed or was cancelled: cancels the running attempts of its tasks and of the tasks of the groups
     * nested in it, on their workers. Those not started are skipped as they come up ({@link #dispatch}). Once per
     * group.
     */
    private void stopGroup(Group group) {
        if (group.stopSent) {
            return;
        }
        group.stopSent = true;
        HashMap<WorkerNode, List<TaskNode>> byNode = new HashMap<>();
        for (TaskNode t : running.values()) {
            if (!t.cancelRequested && t.group != null && t.group.within(group)) {
                t.cancelRequested = true;
                byNode.computeIfAbsent(t.node, n -> new ArrayList<>()).add(t);
            }
        }
        byNode.forEach((node, tasks) -> {
            if (node.lost == null) {
                node.gateway.cancel(tasks.stream().mapToLong(t -> t.id).toArray());
            }
        });
    }

    /**
     * An attempt cancelled with its group ended without success (interrupted, or it failed anyway): the task is
     * skipped as if it had not run — data it would have updated keep their previous version, data it would have
     * produced carry the group's failure — and it is not tried again.
     */
    private void endCancelled(TaskNode task, String worker, Throwable error, long runNanos) {
        cluster.ended(task, runNanos, false);
        TaskFailure why = task.groupStop();
        if (why == null) {
            why = new TaskFailure(task.id, task.name(), task.attemptsMade(), worker, error);
        }
        graph.skip(task, why);
        trimSent(task.node);
        ends.taskEnded(task, null, why, false, runNanos);
    }

    /**
     * A worker gave the task back unstarted, at our request: it goes to the front of the ready queue, not to be
     * sent back there, and its attempt does not count.
     */
    private void givenBack(TaskNode task) {
        WorkerNode from = task.node;
        cluster.ended(task, 0, false);
        task.node = null;
        task.implementation = null;
        task.attempts--;
        task.withdrawnFrom = from.index;
        unmarkInPlace(task);
        trimSent(from);
        readyQueue.addAllReleased(List.of(task));
    }

    /** Whether the task's current attempt was sent to {@code node} and has not ended. */
    private static boolean sentTo(TaskNode task, WorkerNode node) {
        return task.node == node && !task.finished;
    }

    /**
     * Drops what is no longer there from the front of a node's record of tasks sent, and compacts the record when
     * tasks that ended out of order make up most of it.
     */
    private static void trimSent(WorkerNode node) {
        java.util.ArrayDeque<TaskNode> sent = node.sentOrder;
        while (!sent.isEmpty() && !sentTo(sent.peekFirst(), node)) {
            sent.pollFirst();
        }
        if (sent.size() > 2 * node.sentTasks + 64) {
            sent.removeIf(t -> !sentTo(t, node));
        }
    }

    /**
     * Keeps every node busy while tasks wait elsewhere: when nothing ready can be placed, a node with a free core
     * asks the node with the most tasks queued beyond its cores to give back (withdraw) those it has not started,
     * the newest first, as many as the free cores — only tasks worth moving ({@link Cluster#worthMoving}). The
     * worker gives back those not started (queued, or still being prepared); the master places them again (not on
     * the node they came from). One request per node at a time; a task is asked for once per attempt.
     */
    private void balance() {
        if (cluster.nodes.length < 2 || running.isEmpty()) {
            return;
        }
        for (WorkerNode idle : cluster.nodes) {
            int free = idle.idleSlots() - idle.expecting;
            if (free <= 0) {
                continue;
            }
            WorkerNode busiest = null;
            for (WorkerNode n : cluster.nodes) {
                if (n != idle && !n.withdrawing && n.lost == null && n.queuedBeyondSlots() > 0
                        && (busiest == null || n.queuedBeyondSlots() > busiest.queuedBeyondSlots())) {
                    busiest = n;
                }
            }
            if (busiest == null) {
                return;
            }
            int wanted = Math.min(free, busiest.queuedBeyondSlots());
            long[] ids = new long[wanted];
            int found = 0;
            int looked = 0;
            for (java.util.Iterator<TaskNode> it = busiest.sentOrder.descendingIterator();
                    it.hasNext() && found < wanted && looked < 4 * wanted + 64; looked++) {
                TaskNode t = it.next();
                if (sentTo(t, busiest) && !t.withdrawAsked && cluster.worthMoving(t, idle)) {
                    t.withdrawAsked = true;
                    ids[found++] = t.id;
                }
            }
            if (found == 0) {
                continue;
            }
            busiest.withdrawing = true;
            idle.expecting += found;
            int from = busiest.index;
            int to = idle.index;
            int asked = found;
            busiest.gateway.withdraw(found == wanted ? ids : java.util.Arrays.copyOf(ids, found))
                    .whenComplete((ok, error) -> inbox.post(new AnalyserEvent.WithdrawAnswered(from, to, asked)));
        }
    }

    /** How often a task moves off lost workers, unstarted, before the losses count as attempts after all. */
    static final int FREE_MOVES = 3;
    /** How often an attempt that could not fetch an input from a worker being lost is sent again, for free. */
    static final int FETCH_RETRIES = 5;

    /**
     * A node's worker was lost. Its attempts are sent elsewhere: those it had not started for free, those it was
     * running as one attempt each ({@link #notAgain}). Data only it kept is made again from its lineage when a
     * task needs it ({@link Lineage}). Once every worker is lost the run ends ({@link #runLost}).
     */
    private void lose(AnalyserEvent.NodeLost lost) {
        WorkerNode node = cluster.nodes[lost.node()];
        if (node.lost != null) {
            return;
        }
        node.lost = lost.why();
        anyLost = true;
        // The master does not hear when a worker starts an attempt: those sent first, as many as it runs at once,
        // are taken as running; the rest as waiting in its queue.
        java.util.HashSet<TaskNode> started = new java.util.HashSet<>();
        for (TaskNode t : node.sentOrder) {
            if (started.size() >= Math.max(1, node.slots)) {
                break;
            }
            if (sentTo(t, node)) {
                started.add(t);
            }
        }
        node.release();
        node.sentOrder.clear();
        for (TaskNode t : new ArrayList<>(running.values())) {
            if (t.node == node && t.behind != null) {
                // Held there: it never started. Those sent ahead behind it wait for it again, wherever it runs next.
                takeBackAhead(t, null);
            }
        }
        // A task that was running there keeps the tasks held behind it on other workers: it runs again (below), and
        // they count as started when that attempt ends. Their workers are asked to give back those that have not
        // started (they go again then, the usual way); one that started ran on what the lost attempt made, and its
        // result stands: the attempt again makes the same.
        java.util.Map<WorkerNode, List<Long>> heldElsewhere = new java.util.LinkedHashMap<>();
        for (TaskNode p : running.values()) {
            if (p.node == node && p.ahead != null) {
                for (TaskNode t : p.ahead) {
                    if (t.node != node && t.node.lost == null && t.node.gateway != null) {
                        heldElsewhere.computeIfAbsent(t.node, n -> new ArrayList<>()).add(t.id);
                    }
                }
            }
        }
        heldElsewhere.forEach((n, ids) -> n.gateway.withdraw(ids.stream().mapToLong(Long::longValue).toArray()));
        List<TaskNode> rerun = new ArrayList<>();
        for (TaskNode task : running.values()) {
            if (task.node == node) {
                rerun.add(task);
            }
        }
        rerun.sort(Comparator.comparingLong(t -> t.id));
        List<TaskNode> again = new ArrayList<>();
        for (TaskNode task : rerun) {
            running.remove(task.id);
            endAheadReads(task);
            if (task.cancelRequested) {
                endCancelled(task, node.name(), new IllegalStateException("worker lost"), 0);
                continue;
            }
            cluster.ended(task, 0, false);
            task.node = null;
            task.implementation = null;
            if (started.contains(task) || ++task.freeMoves > FREE_MOVES) {
                if (task.lostWith == null) {
                    task.lostWith = new ArrayList<>(2);
                }
                task.lostWith.add(node.name() + " (" + node.lost + ")");
            } else {
                task.attempts--; // it did not start there: the move is free
                unmarkInPlace(task);
            }
            TaskFailure gone = notAgain(task, node);
            if (gone == null) {
                again.add(task);
            } else if (task.rerunOf != null) {
                task.finished = true;
                lineage.failed(task, gone);
            } else {
                fail(task, gone);
            }
        }
        readyQueue.addAllReleased(again); // ahead of the rest: they had already started
        if (allLost()) {
            runLost();
        }
    }

    /**
     * How many workers may be lost while they run a task before it fails: its own attempts ({@code retries + 1}),
     * and at least two, so that a task whose policy makes one attempt survives one loss it had no part in.
     */
    static int lossesAllowed(TaskNode task) {
        return Math.max(2, task.definition.policy().retries() + 1);
    }

    /**
     * Why a task that was on a lost worker must not run again, or {@code null}: workers were lost while they ran it
     * as often as it may be tried (it may be what ends them: {@code System.exit}, a crash of the JVM, its memory),
     * or it was updating a file in place, which may now be half-updated.
     */
    private static TaskFailure notAgain(TaskNode task, WorkerNode node) {
        String why = null;
        int losses = task.lostWith == null ? 0 : task.lostWith.size();
        if (losses >= lossesAllowed(task)) {
            why = (losses == 1 ? "its worker was lost while running it: " : "a worker was lost while running it on each of"
                    + " its " + losses + " attempts: ") + String.join(", ", task.lostWith) + "; it may be what ends"
                    + " them (System.exit, a crash of the JVM, running out of memory)";
        } else if (task.updatesFileInPlace != null && losses > 0) {
            why = "worker " + node.name() + " was lost (" + node.lost + ") while it was updating " + task.updatesFileInPlace
                    + " in place, which may now be half-updated; it is not run again";
        }
        return why == null ? null : new TaskFailure(task.shownId(), task.name(), Math.max(1, losses), node.name(),
                new IllegalStateException(why));
    }

    /**
     * An attempt ended in a way that concerns lost workers, and is dealt with here: a re-run's end goes to the
     * {@link Lineage}; an attempt that could not fetch an input from a worker (being) lost is sent again, for free,
     * and gets its input made again. Returns whether it was dealt with.
     */
    private boolean afterLoss(TaskNode task, TaskOutcome outcome) {
        Throwable error = outcome.error();
        boolean fetchFailed = error != null && task.fetchRetries < FETCH_RETRIES && error.getMessage() != null
                && error.getMessage().contains("cannot fetch an input of");
        // Not checked against the versions it reads: a re-run may have made one again elsewhere meanwhile.
        if (fetchFailed) {
            WorkerNode from = task.node;
            cluster.ended(task, 0, false);
            task.node = null;
            task.implementation = null;
            task.attempts--;
            task.fetchRetries++;
            anyLost = true; // checked when it goes again, whether the loss has been noticed yet or not
            unmarkInPlace(task);
            trimSent(from);
            readyQueue.addAllReleased(List.of(task));
            return true;
        }
        if (task.rerunOf == null) {
            return false;
        }
        cluster.ended(task, outcome.endNanos() - outcome.startNanos(), outcome.succeeded());
        TaskFailure failure = error == null ? null
                : new TaskFailure(task.shownId(), task.name(), task.attemptsMade(), outcome.worker(), error);
        WorkerNode on = task.node;
        lineage.completed(task, outcome, failure);
        trimSent(on);
        return true;
    }

    /** The attempt did not start: what it would have updated in place still holds its version. */
    private static void unmarkInPlace(TaskNode task) {
        for (Access a : task.accesses) {
            if (a.inPlace) {
                a.inPlace = false;
                a.read.overwritten = false;
            }
        }
    }

    /**
     * Records which inputs the attempt about to go updates in place: those versions are gone once it starts (a
     * re-run of their producer makes them again, if needed). A copy of a version a worker fetched and the task
     * updates there is no longer a copy.
     */
    private static void markInPlace(TaskNode task, Binding[] bindings, WorkerNode node) {
        for (int i = 0; i < bindings.length; i++) {
            Access a = task.accesses[i];
            Binding b = bindings[i];
            a.inPlace = false;
            if (b == null || a.write == null || a.read == null || b.copy() || !b.written()) {
                continue;
            }
            Version v = a.read;
            boolean itself;
            if (b.source() instanceof io.weft.runtime.master.gateway.StagedFile) {
                itself = v.value instanceof Kept k && k.node() == node.index;
                if (!itself && v.copies != null) {
                    v.copies.removeIf(c -> c.node() == node.index);
                }
            } else if (b.kind() == Binding.Kind.FILE) {
                itself = b.source() != null && b.source().equals(b.target());
            } else {
                itself = b.source() instanceof io.weft.runtime.master.gateway.RemoteValue r && r.node() == node.index
                        || b.source() instanceof KeptAhead k && k.node() == node.index
                        || node.gateway instanceof InProcessGateway;
            }
            if (itself && !v.overwritten) {
                a.inPlace = true;
                v.overwritten = true;
            }
        }
    }

    /** Whether every node's worker was lost: then nothing can run. */
    private boolean allLost() {
        for (WorkerNode n : cluster.nodes) {
            if (n.lost == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every worker was lost: the run cannot go on. The program hears it once, in every wait and call it makes from
     * now on, and the tasks still to run are left as they are (not failed one by one).
     */
    private void runLost() {
        if (everyWorkerLost != null) {
            return;
        }
        StringBuilder why = new StringBuilder();
        for (WorkerNode n : cluster.nodes) {
            why.append(why.length() == 0 ? "" : "; ").append(n.name()).append(": ").append(n.lost);
        }
        everyWorkerLost = "every worker of the run was lost (" + why + "); the run cannot go on";
        ends.runFailed(everyWorkerLost);
    }

    /** Ends a task that cannot run, with a failure of its own (reported like one it threw). */
    private void fail(TaskNode task, TaskFailure failure) {
        if (task.ahead != null) {
            // Held behind it on other workers after its own was lost (lose): it makes nothing now. (A task in a group,
            // or a re-run, never has tasks sent ahead behind it.)
            takeBackAhead(task);
        }
        graph.complete(task, null, null, failure);
        ends.taskEnded(task, null, failure, true, 0);
        if (task.group != null) {
            stopFailedGroups(task.group);
        }
    }

    /** Ends a task, or a re-run (whose waiters then fail), that cannot run. */
    private void failOrAbandon(TaskNode task, TaskFailure failure) {
        if (task.rerunOf != null) {
            task.finished = true;
            lineage.failed(task, failure);
        } else {
            fail(task, failure);
        }
    }

    private void cancel(TaskNode task, TaskFailure failure) {
        graph.complete(task, null, null, failure);
        ends.taskEnded(task, null, failure, false, 0);
    }

    /**
     * Moves newly ready tasks to the ready queue. Tasks released by a task's end go ahead of those that were ready
     * when submitted: a chain then keeps running on data still in the cache.
     */
    private void drainReady(boolean released) {
        ArrayDeque<TaskNode> ready = graph.ready();
        if (checkpoint != null) {
            replaySaved(ready);
        }
        if (released) {
            readyQueue.addAllReleased(ready);
            ready.clear();
        } else {
            while (!ready.isEmpty()) {
                readyQueue.add(ready.poll());
            }
        }
    }

    /**
     * Completes the ready tasks that the checkpoint folder saved, with their saved outputs, without running them;
     * their successors that become ready are looked at in turn.
     */
    private void replaySaved(ArrayDeque<TaskNode> ready) {
        while (!ready.isEmpty()) {
            List<TaskNode> done = null;
            for (TaskNode t : ready) {
                if (t.identity != null && t.doomedBy == null && t.groupStop() == null
                        && checkpoint.isSaved(t)) {
                    if (done == null) {
                        done = new ArrayList<>();
                    }
                    done.add(t);
                }
            }
            if (done == null) {
                return;
            }
            ready.removeAll(done);
            for (TaskNode t : done) {
                CheckpointedTasks.Replay replay = checkpoint.replay(t, graph);
                if (replay == null) {
                    readyQueue.add(t); // its saved outputs could not be used: it runs
                    continue;
                }
                graph.complete(t, replay.used(), replay.result(), null);
                ends.taskEnded(t, replay.result(), null, false, 0);
            }
        }
    }

    private void dispatch() {
        while (true) {
            drainReady(true);
            if (everyWorkerLost != null) {
                return; // nothing can run; the program was told
            }
            Placement placement = strategy.next(readyQueue, cluster);
            if (placement == null) {
                balance();
                return;
            }
            TaskNode task = placement.task();
            if (task.doomedBy != null) {
                cancel(task, task.doomedBy);
                continue;
            }
            TaskFailure stopped = task.groupStop();
            if (stopped != null) {
                graph.skip(task, stopped);
                ends.taskEnded(task, null, stopped, false, 0);
                continue;
            }
            if (anyLost) {
                TaskFailure gone = lineage.recover(task);
                if (gone != null) {
                    failOrAbandon(task, gone);
                    continue;
                }
                if (task.waitingOn > 0) {
                    continue; // its lost inputs are made again first; it comes back to the ready queue then
                }
            }
            if (checkpoint != null) {
                checkpoint.beforeRun(task);
            }
            Binding[] bindings = graph.plan(task);
            try {
                bindings = staging.stage(task, bindings, placement.node(), cluster.nodes);
                bindings = copies.stage(task, bindings, placement.node());
            } catch (IllegalStateException e) {
                failOrAbandon(task, new TaskFailure(task.shownId(), task.name(), Math.max(1, task.attemptsMade()),
                        placement.node().name(), e));
                continue;
            }
            markInPlace(task, bindings, placement.node());
            task.updatesFileInPlace = null;
            for (int i = 0; i < bindings.length; i++) {
                Binding b = bindings[i];
                Mode mode = task.accesses[i].mode;
                if (b != null && b.kind() == Binding.Kind.FILE && !b.copy() && b.source() != null
                        && b.source().equals(b.target()) && mode != Mode.READ) {
                    task.updatesFileInPlace = b.target();
                }
            }
            task.attempts++;
            task.sentNanos = nanoClock.getAsLong();
            task.node = placement.node();
            task.implementation = placement.implementation();
            task.withdrawnFrom = -1;
            task.withdrawAsked = false;
            running.put(task.id, task);
            cluster.sent(placement);
            task.node.sentOrder.addLast(task);
            int hint = task.hintNode == task.node.index ? task.executorHint : -1;
            TaskExecution execution = new TaskExecution(task.id, task.name(), task.implementation.method(),
                    task.arguments, task.argumentAccess, task.receiverAccess, bindings, task.attempts, hint,
                    task.implementation.requirements().demand(), task.encodedArguments, checks != null,
                    task.definition.policy().timeoutNanos(), task.definition.policy().restoresInputs());
            long[] keep = keepAhead(task);
            task.node.gateway.execute(execution, keep, reported(task, execution, task.node));
            extendAhead(task);
        }
    }

    // ---------------------------------------------------------------- tasks sent ahead

    /** How many tasks may wait at a worker, sent ahead, per task slot. */
    static final int AHEAD_PER_SLOT = 8;
    /** The walks over the tasks behind a task sent ({@link #extendAhead}), and the tasks sent ahead, so far. */
    private long aheadWalk;
    private long aheadSent;

    /**
     * Whether tasks may be sent ahead now: under a policy that places tasks where their data are, and not once a
     * worker was lost (lineage then checks each task's inputs as it goes), nor with a checkpoint (saved before the
     * master hears of an end).
     */
    private boolean aheadAllowed() {
        return strategy.followsData() && !anyLost && checkpoint == null;
    }

    /**
     * The keys under which the worker keeps the objects an attempt about to go writes, for tasks sent ahead of its
     * end ({@link #tryAhead}), or {@code null}: for a task that tasks already wait for, on a worker that takes tasks
     * ahead. Recorded with the versions ({@link Version#aheadKey}).
     */
    private long[] keepAhead(TaskNode task) {
        WorkerNode node = task.node;
        notKeptAhead(task); // what an earlier attempt was to keep
        if (task.successors == null || task.group != null || task.rerunOf != null || !aheadAllowed()
                || !node.gateway.takesTasksAhead() || task.resultAccess >= 0 && !exactResult(task)) {
            // A result the worker cannot check as the master will (an interface's proxy takes anything but null):
            // the two could disagree on whether the attempt produced.
            return null;
        }
        long[] keep = null;
        for (int i = 0; i < task.accesses.length; i++) {
            Access a = task.accesses[i];
            if (a.write != null && a.handle.kind == DataHandle.Kind.OBJECT
                    && (a.mode == Mode.UPDATE || a.mode == Mode.WRITE || a.mode == Mode.RESULT)) {
                if (keep == null) {
                    keep = new long[task.accesses.length];
                }
                keep[i] = copies.newKey();
                a.write.aheadKey = keep[i];
                a.write.aheadNode = node.index;
            }
        }
        return keep;
    }

    /**
     * Whether a task's result placeholder takes only an object of the method's declared class (not an interface's
     * proxy): its worker then tells, as the master will, whether the result fills it (else both count the attempt as
     * having produced nothing for the tasks sent ahead).
     */
    private static boolean exactResult(TaskNode task) {
        Object home = task.accesses[task.resultAccess].handle.home();
        return home != null && !Placeholders.isProxy(home)
                && home.getClass() == task.implementation.method().getReturnType();
    }

    /**
     * Tries to send ahead the tasks that wait for {@code task} only, and, past those already sent ahead, the tasks
     * behind them.
     */
    private void extendAhead(TaskNode task) {
        aheadWalk++;
        extendAhead(task, 0);
    }

    /** One step of {@link #extendAhead(TaskNode)}, {@code depth} tasks sent ahead from where it started: bounded. */
    private void extendAhead(TaskNode task, int depth) {
        if (task.successors == null || depth > AHEAD_PER_SLOT * 4) {
            return;
        }
        for (int i = 0; i < task.successors.size(); i++) {
            TaskNode s = task.successors.get(i);
            // A task reached again by another path (each of a stencil's tasks waits for several of the step before,
            // so the paths to a task multiply with its depth) is passed over if this walk came to it no deeper and
            // sent nothing ahead since: the same calls again would find what they found then.
            if (s.aheadWalk == aheadWalk && s.aheadWalkSent == aheadSent && s.aheadWalkDepth <= depth) {
                continue;
            }
            if (s.behind == null || !s.behind.contains(task)) {
                tryAhead(s);
            }
            boolean behindThis = s.behind != null && s.behind.contains(task); // as tryAhead left it
            // Marked only if not sent ahead, or sent ahead behind this one: a visit from a task it is not behind does
            // nothing, and must not stand for one from a task it is behind, which walks on past it.
            if (s.behind == null || behindThis) {
                s.aheadWalk = aheadWalk;
                s.aheadWalkDepth = depth;
                s.aheadWalkSent = aheadSent;
            }
            if (behindThis) {
                extendAhead(s, depth + 1);
            }
        }
    }

    /**
     * Sends a task ahead if it can go: to the worker of an unfinished task it waits for, to start there as soon as the
     * tasks it waits for end, with no round trip through the master; a worker reports the end of a task it ran that
     * the task waits for before the task starts (on its own worker first; another worker's answers the task's worker
     * when it has), and the master counts the task as running once it has handled them all ({@link #aheadStarted}).
     * It can go when each task it waits for is on a worker that takes tasks ahead and keeps what it writes for them
     * ({@link #keepAhead}); when it reads and writes objects only (no file, no concurrent or commutative access), has
     * one implementation, which needs one core and can run there, and is in no group; and when that worker holds
     * fewer than {@link #AHEAD_PER_SLOT} per task slot waiting so. Which worker: {@link #aheadNode}.
     */
    private void tryAhead(TaskNode t) {
        if (t.node != null || t.finished || t.waitingOn == 0 || t.group != null || t.rerunOf != null || t.neverAhead
                || t.doomedBy != null || t.reserved != null || !aheadAllowed()
                || t.definition.implementations().size() != 1) {
            return;
        }
        Implementation impl = t.definition.implementations().get(0);
        if (!impl.requirements().isPlain()) {
            return;
        }
        ArrayList<TaskNode> producers = new ArrayList<>(2);
        int edges = 0;
        for (Access a : t.accesses) {
            if (a.handle.kind != DataHandle.Kind.OBJECT || a.mode == Mode.CONCURRENT || a.mode == Mode.COMMUTATIVE) {
                return;
            }
            Version v = a.read;
            if (v == null || v.producers.isEmpty()) {
                continue;
            }
            TaskNode q = v.producers.get(0);
            if (v.producers.size() != 1 || v.aheadKey == 0) {
                return;
            }
            if (!producers.contains(q)) {
                producers.add(q);
            }
            edges++;
        }
        if (producers.isEmpty() || edges != t.waitingOn) {
            return; // it waits for a task that only reads what it updates
        }
        for (TaskNode q : producers) {
            WorkerNode n = q.node;
            if (n == null || q.finished || q.cancelRequested || q.withdrawAsked || q.group != null
                    || q.rerunOf != null || !running.containsKey(q.id) || n.lost != null
                    || !n.gateway.takesTasksAhead()) {
                return;
            }
        }
        WorkerNode node = aheadNode(t, impl, producers);
        if (node != null) {
            sendAhead(t, producers, node, impl);
        }
    }

    /**
     * The node {@code t} goes ahead to, or {@code null} if none can take it: for a task that updates an object a
     * task it waits for makes, that task's node; else, of the nodes of the tasks it waits for, the one whose tasks
     * it reads most, then the least loaded; but a task that waits for several goes to another node if that one has
     * a task slot's worth less work (so that tasks reading each other's outputs do not all gather where the first
     * of them ran).
     */
    private WorkerNode aheadNode(TaskNode t, Implementation impl, List<TaskNode> producers) {
        for (Access a : t.accesses) {
            if (a.mode == Mode.UPDATE && a.read != null && !a.read.producers.isEmpty()) {
                // It updates what that task made: there, where the object is, or not ahead at all.
                WorkerNode n = a.read.producers.get(0).node;
                return takesAhead(t, impl, n) ? n : null;
            }
        }
        WorkerNode best = null;
        int bestReads = 0;
        for (TaskNode q : producers) {
            WorkerNode n = q.node;
            if (n == best || !takesAhead(t, impl, n)) {
                continue;
            }
            int reads = 0;
            for (Access a : t.accesses) {
                if (a.read != null && !a.read.producers.isEmpty() && a.read.aheadNode == n.index) {
                    reads++;
                }
            }
            if (best == null || reads > bestReads || reads == bestReads && load(n) < load(best)) {
                best = n;
                bestReads = reads;
            }
        }
        if (producers.size() > 1) {
            for (WorkerNode n : cluster.nodes) {
                if (n != best && n.gateway != null && n.lost == null && n.gateway.takesTasksAhead()
                        && takesAhead(t, impl, n)
                        && (best == null || load(n) + 1.0 <= load(best))) {
                    best = n;
                }
            }
        }
        return best;
    }

    /** Whether a node may take a task ahead now. */
    private static boolean takesAhead(TaskNode t, Implementation impl, WorkerNode n) {
        return t.withdrawnFrom != n.index && t.definition.runnable()[impl.index()][n.index] && n.reservedBy == null
                && n.heldAhead < AHEAD_PER_SLOT * Math.max(1, n.slots);
    }

    /** The tasks sent to a node (running, queued, or held ahead there) per task slot. */
    private static double load(WorkerNode n) {
        return (double) (n.sentTasks + n.heldAhead) / Math.max(1, n.slots);
    }

    private void sendAhead(TaskNode t, List<TaskNode> producers, WorkerNode node, Implementation impl) {
        aheadSent++;
        boolean early = false;
        for (TaskNode p : producers) {
            early |= p.node != node || p.behind != null && p.startsEarly;
        }
        Binding[] bindings = graph.plan(t);
        for (int i = 0; i < bindings.length; i++) {
            Access a = t.accesses[i];
            a.readAhead = false;
            Binding b = bindings[i];
            if (a.read != null && !a.read.producers.isEmpty()) {
                b = Binding.object(new KeptAhead(a.read.aheadKey, a.read.aheadNode), b.copy(), b.written());
                a.readAhead = true;
                a.read.aheadReaders++;
            }
            if (early && b != null && b.written() && !b.copy()) {
                // Its worker may run it before the master hears of an end it waits for on another worker, and should
                // that task's next attempt fail, it is taken back to run again: never on what it changed.
                b = Binding.object(b.source(), true, true);
            }
            bindings[i] = b;
        }
        bindings = copies.stage(t, bindings, node);
        markInPlace(t, bindings, node);
        t.updatesFileInPlace = null;
        t.attempts++;
        t.sentNanos = nanoClock.getAsLong();
        t.node = node;
        t.implementation = impl;
        t.withdrawnFrom = -1;
        t.withdrawAsked = false;
        t.behind = new ArrayList<>(producers);
        t.startsEarly = early;
        for (TaskNode p : producers) {
            if (p.ahead == null) {
                p.ahead = new ArrayList<>(2);
            }
            p.ahead.add(t);
        }
        node.heldAhead++;
        running.put(t.id, t);
        TaskExecution execution = new TaskExecution(t.id, t.name(), impl.method(), t.arguments, t.argumentAccess,
                t.receiverAccess, bindings, t.attempts, -1, impl.requirements().demand(), t.encodedArguments,
                checks != null, t.definition.policy().timeoutNanos(), t.definition.policy().restoresInputs());
        long[] keep = keepAhead(t);
        node.gateway.execute(execution, keep, reported(t, execution, node));
    }

    /**
     * A task ended well on its worker, which has started the tasks sent ahead behind it (or queued them, there, ahead
     * of anything sent later): they are running now, each in a task slot of that node, and the tasks behind them may
     * be sent ahead in turn.
     */
    private void aheadStarted(TaskNode p) {
        List<TaskNode> started = new ArrayList<>(p.ahead.size());
        for (TaskNode t : p.ahead) {
            t.behind.remove(p);
            if (t.behind.isEmpty()) {
                started.add(t);
            } // else it waits for another task's end still
        }
        p.ahead = null;
        ArrayDeque<TaskNode> ready = graph.ready();
        List<TaskNode> extend = new ArrayList<>(started.size());
        for (TaskNode t : started) {
            t.behind = null;
            if (t.earlyEnd != null) {
                earlyEnds.add(t.earlyEnd); // handled next: ended already, nothing goes ahead behind it now
                t.earlyEnd = null;
            } else {
                extend.add(t);
            }
            t.node.heldAhead--;
            ready.remove(t); // released by p's end, and on its worker already
            cluster.sent(new Placement(t, t.node, t.implementation));
            t.node.sentOrder.addFirst(t); // started there: counted so should its worker be lost
            for (Access a : t.accesses) {
                Version v = a.read;
                if (a.readAhead && a.inPlace && !v.valueIsKeptAhead()) {
                    // It updates the copy its worker kept; the version itself came back to the master.
                    a.inPlace = false;
                    v.overwritten = false;
                }
            }
        }
        for (TaskNode t : extend) {
            extendAhead(t);
        }
    }

    /**
     * A task ended without producing what the tasks sent ahead behind it wait for (it failed, was withdrawn, or its
     * worker was lost): its worker dropped them, unreported, and so do we: they wait for it here again, as do the
     * tasks sent ahead behind them.
     */
    private void takeBackAhead(TaskNode p) {
        List<TaskNode> held = p.ahead;
        p.ahead = null;
        if (held != null) {
            for (TaskNode t : held) {
                if (t.behind != null) { // else taken back already, behind one of these and p both
                    takeBackAhead(t, p);
                }
            }
        }
        notKeptAhead(p);
    }

    /**
     * Whether a report of a task sent ahead, which came before the master handled the ends of the tasks it waits for,
     * can be its worker's: it may start early ({@link TaskNode#startsEarly}: a task it waits for, or one that task
     * waits for, ran on another worker, which reports over another connection), or each of the tasks it waits for has
     * reported already (they ran on its worker, which reports a task's end before it starts the tasks that waited for
     * it, on the same connection, so the master reads them in that order; those reports wait here themselves).
     */
    private static boolean reportedBehind(TaskNode t) {
        for (TaskNode q : t.behind) {
            if (!t.startsEarly && q.earlyEnd == null) {
                return false; // each ran on its worker
            }
        }
        return true;
    }

    /**
     * What an attempt was to keep for tasks sent ahead is not kept (it did not end well, or never went). Its worker is
     * not told to forget the keys: a failed attempt's report may name the very object under one as what it left (and
     * the graph take it), and a peer that asks for one later is told it was not produced.
     */
    private static void notKeptAhead(TaskNode p) {
        for (Access a : p.accesses) {
            if (a.write != null) {
                a.write.aheadKey = 0;
            }
        }
    }

    /**
     * Takes back a task sent ahead, which has not started: it leaves the lists of the tasks it waited for (but
     * {@code p}'s, which is being walked), and waits for them here again.
     */
    private void takeBackAhead(TaskNode t, TaskNode p) {
        for (TaskNode q : t.behind) {
            if (q != p && q.ahead != null) {
                q.ahead.remove(t);
            }
        }
        t.earlyEnd = null; // its worker's report of the attempt taken back: that attempt is over
        if (t.ahead != null) {
            takeBackAhead(t);
        }
        WorkerNode node = t.node;
        running.remove(t.id);
        node.heldAhead--;
        node.gateway.droppedAhead(t.id);
        t.behind = null;
        t.node = null;
        t.implementation = null;
        if (t.startsEarly) {
            // Its worker may still report it (it may even have run it, on copies: see sendAhead), should a peer's
            // answer or failure have reached it first: the next attempt gets a number of its own.
            t.skippedAttempts++;
        } else {
            t.attempts--; // it never started: the attempt does not count, and its worker reports nothing
        }
        unmarkInPlace(t);
        endAheadReads(t);
        notKeptAhead(t);
    }

    /** An attempt sent ahead ended (or was taken back): the versions it read ahead may be forgotten by their worker. */
    private void endAheadReads(TaskNode t) {
        for (Access a : t.accesses) {
            if (a.readAhead) {
                a.readAhead = false;
                Version v = a.read;
                if (--v.aheadReaders == 0 && v.producers.isEmpty()) {
                    forgetAhead(v);
                }
            }
        }
    }

    /** A task ended: what its worker kept for tasks sent ahead, and none of them reads, is forgotten there. */
    private void forgetKeptAhead(TaskNode task) {
        for (Access a : task.accesses) {
            Version v = a.write;
            if (v != null && v.aheadKey != 0 && v.aheadReaders == 0 && v.producers.isEmpty()) {
                forgetAhead(v);
            }
        }
    }

    /** The worker that kept a version for tasks sent ahead may let it go, unless it is the version's own value. */
    private void forgetAhead(Version v) {
        if (v.aheadKey == 0) {
            return;
        }
        if (!v.valueIsKeptAhead()) {
            cluster.nodes[v.aheadNode].gateway.forget(new long[] {v.aheadKey});
        }
        v.aheadKey = 0;
    }

    /**
     * Hands the outcome of an attempt to the analyser, on the thread that completed it. An attempt whose worker was
     * lost is ignored here: the loss, posted after, sends it elsewhere. Any other failure of the gateway itself
     * ends the attempt as a failure of the task, so that nothing waits for it for ever; a fault while hearing of the
     * end stops the run ({@link #stop}).
     */
    private BiConsumer<TaskOutcome, Throwable> reported(TaskNode task, TaskExecution e, WorkerNode node) {
        return new Reported(task, e, node.name(), node.gateway);
    }

    /** See {@link #reported}. A class rather than a lambda: the first task's dispatch would spin one. */
    private final class Reported implements BiConsumer<TaskOutcome, Throwable> {
        private final TaskNode task;
        private final TaskExecution e;
        private final String worker;
        private final WorkerGateway gateway;

        Reported(TaskNode task, TaskExecution e, String worker, WorkerGateway gateway) {
            this.task = task;
            this.e = e;
            this.worker = worker;
            this.gateway = gateway;
        }

        @Override
        public void accept(TaskOutcome outcome, Throwable error) {
            try {
                report(task, e, worker, gateway, outcome, error);
            } catch (RuntimeException | Error failure) {
                // The attempt's end would be lost, and the run wait for it for ever: it stops, saying why.
                stop(failure);
            }
        }
    }

    private void report(TaskNode task, TaskExecution e, String worker, WorkerGateway gateway, TaskOutcome outcome,
            Throwable error) {
        if (outcome == null) {
            Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
            if (cause instanceof WorkerLostException) {
                return;
            }
            outcome = TaskOutcome.notRun(e, cause, worker);
        } else if (checks != null) {
            checks.ran(e.taskId(), e.name(), outcome.findings()); // here: the analyser never prints
        }
        AnalyserEvent.Completed completed = new AnalyserEvent.Completed(outcome, e.attempt());
        if (checkpoint != null && task.identity != null && outcome.succeeded()) {
            // Saved before the analyser hears of it: no task that reads or updates its outputs has started.
            checkpoint.save(task, outcome, gateway, () -> inbox.post(completed));
        } else {
            switch (gateway.reportHandling()) {
                case HANDLE -> inbox.postAndHandle(completed);
                // Replaying saved outputs (a checkpoint) reads and decodes files: not on an event loop.
                case HANDLE_IF_ANALYSER_PARKED -> {
                    if (checkpoint == null) {
                        inbox.postAndHandleIfParked(completed);
                    } else {
                        inbox.post(completed);
                    }
                }
                case POST -> inbox.post(completed);
            }
        }
    }
}
