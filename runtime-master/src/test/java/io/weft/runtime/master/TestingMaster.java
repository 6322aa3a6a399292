package io.weft.runtime.master;

import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.config.RuntimeConfig;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The master's parts wired as {@link MasterRuntime#start} wires them — submitter, synchroniser, analyser, graph,
 * home mover, file staging — over worker processes on hosts of their own, each behind a {@link TestingGateway}.
 * Nothing runs by itself: the test is the analyser's thread, {@link #drain}ing the inbox when it likes, and the
 * workers, completing the gateways' futures.
 */
final class TestingMaster {
    private static final long EVENT_TIMEOUT_MILLIS = 10_000;

    final DataRegistry registry = new DataRegistry();
    final FailureLog failures = new FailureLog();
    final Analyser.Inbox inbox;
    final Cluster cluster;
    final Synchroniser synchroniser;
    final Submitter submitter;
    final Analyser analyser;
    /** The clock of the analyser and the synchroniser, in nanoseconds; tests move it. */
    final AtomicLong clock = new AtomicLong();

    /** A run on worker processes of these names that see none of the master's paths, two task slots each. */
    TestingMaster(String... nodeNames) {
        this(new Analyser.Inbox(), nodeNames);
    }

    /** As {@link #TestingMaster(String...)}, with this inbox. */
    TestingMaster(Analyser.Inbox inbox, String... nodeNames) {
        this.inbox = inbox;
        List<WorkerNode> nodes = new ArrayList<>();
        for (String name : nodeNames) {
            nodes.add(TestingNodes.elsewhere(nodes.size(), TestingNodes.node(name).cpu("cpu", null, 2).build(), 2,
                    2));
        }
        cluster = new Cluster(nodes);
        RunStatistics statistics = new RunStatistics(RuntimeConfig.from(Map.of("summary", "false", "progress",
                "false")));
        synchroniser = new Synchroniser(registry, failures, statistics, inbox, this::gateway, 30_000, clock::get);
        AtomicLong keys = new AtomicLong();
        FileStaging staging = new FileStaging(keys);
        VersionBytes.Budget lineageBytes = new VersionBytes.Budget(1 << 20, "a test's");
        HomeMover mover = new HomeMover(this::gateway, staging, failures, synchroniser, statistics, inbox,
                Runnable::run, lineageBytes);
        analyser = new Analyser(inbox, new TaskGraph(mover), SchedulingStrategy.LOCALITY, synchroniser, staging,
                new ObjectCopies(keys, true, lineageBytes), clock::get);
        analyser.attach(cluster, null);
        submitter = new Submitter(registry, synchroniser, statistics, inbox, cluster, 1000, false);
    }

    TestingGateway gateway(int node) {
        return (TestingGateway) cluster.nodes[node].gateway;
    }

    /** Calls a task method of {@link SampleTasks} as instrumented code does; returns what the call returns. */
    Object call(String task, Object... args) {
        return submitter.submit(SampleTasks.site(task), null, args);
    }

    /** Steps the analyser through every event posted so far, and those they lead to; returns how many. */
    int drain() {
        int handled = 0;
        while (!inbox.isEmpty()) {
            analyser.step(inbox.take());
            handled++;
        }
        return handled;
    }

    /** Waits (boundedly) for another thread to post an event, then drains. */
    void drainOncePosted() throws InterruptedException {
        long deadline = System.currentTimeMillis() + EVENT_TIMEOUT_MILLIS;
        while (inbox.isEmpty()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("nothing was posted to the analyser within " + EVENT_TIMEOUT_MILLIS + " ms");
            }
            Thread.sleep(1);
        }
        drain();
    }

    /** Every attempt sent so far, node by node. */
    List<TaskExecution> sent() {
        List<TaskExecution> all = new ArrayList<>();
        for (int i = 0; i < cluster.nodes.length; i++) {
            all.addAll(gateway(i).executions);
        }
        return all;
    }

    /** The latest attempt sent at the task method of that name. */
    TaskExecution sent(String task) {
        return sent().stream().filter(e -> e.method().equals(SampleTasks.method(task)))
                .max((a, b) -> Integer.compare(a.attempt(), b.attempt()))
                .orElseThrow(() -> new AssertionError("no attempt at " + task + " was sent"));
    }

    /** The index of the node an attempt was sent to. */
    int nodeOf(TaskExecution attempt) {
        for (int i = 0; i < cluster.nodes.length; i++) {
            if (gateway(i).attempts.containsKey(attempt)) {
                return i;
            }
        }
        throw new AssertionError(attempt.name() + " was not sent");
    }

    /**
     * The attempt's worker reports success, as its gateway would: the outcome is posted to the inbox, for the test
     * to {@link #drain}.
     *
     * @param used what holds each binding's new version (none given: every datum was used in place)
     */
    void succeed(TaskExecution attempt, Object result, Object... used) {
        report(attempt, result, null, used);
    }

    /** The attempt's worker reports that the task threw {@code error}. */
    void fail(TaskExecution attempt, Throwable error) {
        report(attempt, null, error);
    }

    private void report(TaskExecution attempt, Object result, Throwable error, Object... used) {
        int node = nodeOf(attempt);
        Object[] holders = used.length == 0 ? new Object[attempt.bindings().length] : used;
        gateway(node).attempts.get(attempt).complete(new TaskOutcome(attempt.taskId(), result, holders, error,
                cluster.nodes[node].name(), 0, 0, 1, new int[0], new int[0]));
    }

    /** An object result that the worker of {@code node} keeps under {@code key}, as its gateway reports it. */
    static RemoteValue keptBox(int node, long key) {
        return new RemoteValue(node, key, 1 << 20, Box.class.getName());
    }

    /**
     * Calls {@code make}, lets the worker it ran on keep the result under {@code key} and steps the analyser on:
     * no task uses the result any more. Returns the program's placeholder.
     */
    Box keptResult(long key) {
        Box made = (Box) call("make", 5L);
        drain();
        TaskExecution make = sent("make");
        succeed(make, keptBox(nodeOf(make), key));
        drain();
        return made;
    }

    /** The node's worker is lost, as the launcher reports it. */
    void lose(int node, String why) {
        gateway(node).lose(why); // as the launcher does: the gateway first, then the analyser
        inbox.post(new AnalyserEvent.NodeLost(node, why));
    }

    /** The live handle of an object the program passed to a task. */
    DataHandle handle(Object datum) {
        DataHandle h = registry.findObject(datum);
        if (h == null) {
            throw new AssertionError(datum + " has no live handle");
        }
        return h;
    }
}
