package io.weft.runtime.master;

import static io.weft.runtime.master.TestTasks.object;
import static io.weft.runtime.master.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The critical-path rank and the ready order that follows it, on graphs built by {@link TaskGraph}. */
class CriticalPathTest {
    private final TaskGraph graph = new TaskGraph(new TestTasks.RecordingConsolidator());
    /** Expected times by task name, in nanoseconds; a name not listed is not measured yet (-1). */
    private final Map<String, Long> times = new java.util.HashMap<>(Map.of("short", 1_000L, "long", 50_000L));
    private final CriticalPath path = new CriticalPath(def -> times.getOrDefault(def.name(), 1_000L));

    private TaskNode register(TaskNode t) {
        graph.register(t);
        return t;
    }

    private List<TaskNode> ready() {
        List<TaskNode> r = new ArrayList<>(graph.ready());
        graph.ready().clear();
        return r;
    }

    /** A short task that updates a datum of its own: nothing waits for it. */
    private TaskNode alone(int key) {
        return register(task("short").updates(object(key)).build());
    }

    /** A chain of {@code n} updates of one datum. */
    private List<TaskNode> chain(String name, int n) {
        DataHandle x = object(name.hashCode());
        List<TaskNode> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(register(task(name).updates(x).build()));
        }
        return tasks;
    }

    @Test
    void aChainRanksByTheTimeLeftAlongIt() {
        List<TaskNode> c = chain("short", 3);
        assertThat(path.rank(c.get(0))).isEqualTo(3_000);
        assertThat(path.rank(c.get(1))).isEqualTo(2_000);
        assertThat(path.rank(c.get(2))).isEqualTo(1_000);
    }

    @Test
    void theLongestBranchCounts_byTimeNotByTasks() {
        // a -> {b: long, c -> d -> e: short} -> nothing after: the one long task outweighs three short ones.
        DataHandle x = object(1);
        DataHandle y = object(2);
        DataHandle z = object(3);
        TaskNode a = register(task("short").updates(x).updates(y).updates(z).build());
        register(task("long").updates(x).build());
        register(task("short").updates(y).build());
        register(task("short").updates(y).build());
        register(task("short").updates(y).build());
        assertThat(path.rank(a)).isEqualTo(1_000 + 50_000);
        // A task that joins two branches is counted once on each path through it, never added twice.
        TaskNode join = register(task("short").updates(x).updates(y).build());
        assertThat(join.waitingOn).isEqualTo(2);
        assertThat(path.rank(a)).isEqualTo(1_000 + 50_000 + 1_000);
    }

    @Test
    void finishedSuccessorsDoNotCount() {
        List<TaskNode> c = chain("short", 2);
        c.get(1).finished = true;
        assertThat(path.rank(c.get(0))).isEqualTo(1_000);
    }

    @Test
    void aDeepGraphIsLookedAtOnlyAsFarAsTheBudget() {
        List<TaskNode> c = chain("short", 10 * CriticalPath.BUDGET);
        assertThat(path.rank(c.get(0))).isEqualTo(CriticalPath.BUDGET * 1_000L);
        // A wide fan-out too: the budget bounds the work, whatever the shape.
        DataHandle root = object(99);
        TaskNode first = register(task("short").updates(root).build());
        for (int i = 0; i < 5 * CriticalPath.BUDGET; i++) {
            register(task("short").reads(root).build());
        }
        assertThat(first.successors).hasSize(5 * CriticalPath.BUDGET);
        assertThat(path.rank(first)).isEqualTo(2_000);
    }

    @SuppressWarnings("unused")
    private static final class Kernels {
        void a() {}

        void b() {}

        void c() {}
    }

    @Test
    void anUnmeasuredMethodCountsAsTheMeanOfTheMeasuredOnes() {
        Cluster cluster = TestingNodes.cluster(TestingNodes.node("n")
                .cpu("x", io.weft.resources.Architecture.AMD64, 2).build());
        TaskDefinition a = ConstrainedTasks.on(cluster, ConstrainedTasks.definition("a",
                ConstrainedTasks.method(Kernels.class, "a")));
        TaskDefinition b = ConstrainedTasks.on(cluster, ConstrainedTasks.definition("b",
                ConstrainedTasks.method(Kernels.class, "b")));
        TaskDefinition c = ConstrainedTasks.on(cluster, ConstrainedTasks.definition("c",
                ConstrainedTasks.method(Kernels.class, "c")));
        assertThat(cluster.expectedNanos(c)).isEqualTo(Cluster.UNMEASURED_NANOS);
        ran(cluster, a, 2_000);
        ran(cluster, b, 6_000);
        assertThat(cluster.expectedNanos(a)).isEqualTo(2_000);
        assertThat(cluster.expectedNanos(c)).isEqualTo(4_000);
    }

    private static void ran(Cluster cluster, TaskDefinition def, long nanos) {
        TaskNode t = ConstrainedTasks.send(cluster, cluster.place(ConstrainedTasks.task(def), false, true));
        cluster.ended(t, nanos, true);
    }

    @Test
    void aRankedQueueTakesTheTaskOnTheLongerPathFirst_thenReleasedTasks_thenTheOldest() {
        ReadyQueue queue = new ReadyQueue(path::rank, () -> 0);
        TaskNode alone = alone(10);
        List<TaskNode> longChain = chain("long", 3);
        ready();
        queue.add(alone); // ready first, but nothing waits for it
        queue.add(longChain.get(0));
        assertThat(take(queue)).isSameAs(longChain.get(0));
        assertThat(take(queue)).isSameAs(alone);

        // Equal ranks: a task released by another's end goes ahead of older ones, as in ready order.
        TaskNode older = alone(11);
        TaskNode released = alone(12);
        queue.add(older);
        queue.addAllReleased(List.of(released));
        assertThat(take(queue)).isSameAs(released);
        assertThat(take(queue)).isSameAs(older);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void tasksNothingWaitsForKeepTheReadyOrder_releasedOnesAhead_behindThoseThatLeadToOthers() {
        ReadyQueue queue = new ReadyQueue(path::rank, () -> 0);
        TaskNode first = alone(40);
        TaskNode second = alone(41);
        queue.add(first);
        queue.add(second);
        assertThat(take(queue)).isSameAs(first); // ranked: two waiting, as many as there are calls
        TaskNode third = alone(42);
        TaskNode releasedA = alone(43);
        TaskNode releasedB = alone(44);
        List<TaskNode> leading = chain("short", 2);
        queue.add(third);
        queue.add(leading.get(0));
        queue.addAllReleased(List.of(releasedA, releasedB));
        assertThat(take(queue)).isSameAs(leading.get(0));
        assertThat(take(queue)).isSameAs(releasedA);
        assertThat(take(queue)).isSameAs(releasedB);
        assertThat(take(queue)).isSameAs(second);
        assertThat(take(queue)).isSameAs(third);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aWaitingTaskThatTheProgramThenCallsATaskAfterGoesAheadOfThoseThatLeadNowhere() {
        ReadyQueue queue = new ReadyQueue(path::rank, () -> 0);
        graph.onLeading(queue);
        DataHandle head = object(50);
        List<TaskNode> bag = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            bag.add(register(task("short").updates(object(51 + i)).build()));
            queue.add(bag.get(i));
        }
        TaskNode first = register(task("short").updates(head).build());
        queue.add(first);
        assertThat(take(queue)).isSameAs(bag.get(0)); // all ranked now, equal: ready order
        // The program calls what comes after the last one: it now leads to a task, and goes first.
        register(task("short").updates(head).build());
        assertThat(take(queue)).isSameAs(first);
        assertThat(take(queue)).isSameAs(bag.get(1));
        assertThat(take(queue)).isSameAs(bag.get(2));
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void tasksThatGetSuccessorsOldestFirst_goAheadInThatOrder_andEachIsTakenOnce() {
        ReadyQueue queue = new ReadyQueue(path::rank, () -> 0);
        graph.onLeading(queue);
        List<DataHandle> data = new ArrayList<>();
        List<TaskNode> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            data.add(object(60 + i));
            made.add(register(task("short").updates(data.get(i)).build()));
            queue.add(made.get(i));
        }
        TaskNode first = take(queue); // all ranked, equal: the oldest
        assertThat(first).isSameAs(made.get(0));
        // The program now uses what the rest made, oldest first: each gets a successor, and goes among the ranked.
        for (int i = 1; i < 4; i++) {
            register(task("short").updates(data.get(i)).build());
        }
        assertThat(take(queue)).isSameAs(made.get(1));
        // Taken from among the ranked, it comes back (an attempt tried again): once, though its old entry remains.
        queue.addAllReleased(List.of(made.get(1)));
        List<TaskNode> rest = new ArrayList<>();
        for (TaskNode t; (t = take(queue)) != null; ) {
            rest.add(t);
        }
        assertThat(rest).containsExactlyInAnyOrder(made.get(1), made.get(2), made.get(3), made.get(4));
        assertThat(rest.get(3)).isSameAs(made.get(4)); // the one that still leads nowhere goes last
        assertThat(queue.isEmpty()).isTrue();
    }

    private static TaskNode take(ReadyQueue queue) {
        Placement p = queue.take(false, t -> new Placement(t, null, null), SchedulingStrategy.LOOK_AT);
        return p == null ? null : p.task();
    }

    @Test
    void theDefaultAndTheCriticalPolicyFollowTheCriticalPath_fifoAndLifoTheReadyOrder() {
        assertThat(SchedulingStrategy.named("locality").followsCriticalPath()).isTrue();
        assertThat(SchedulingStrategy.named("critical").followsCriticalPath()).isTrue();
        assertThat(SchedulingStrategy.named("fifo").followsCriticalPath()).isFalse();
        assertThat(SchedulingStrategy.named("lifo").followsCriticalPath()).isFalse();
    }

    @Test
    void noTaskIsRankedWhileTheReadyTasksAllFitInTheFreeSlots() {
        java.util.concurrent.atomic.AtomicInteger ranked = new java.util.concurrent.atomic.AtomicInteger();
        ReadyQueue queue = new ReadyQueue(t -> {
            ranked.incrementAndGet();
            return path.rank(t);
        }, () -> 0);
        TaskNode alone = alone(20);
        List<TaskNode> longChain = chain("long", 3);
        queue.add(alone);
        queue.add(longChain.get(0));
        // Two slots free: both start now, in ready order, unranked.
        Placement p = queue.take(false, t -> new Placement(t, null, null), SchedulingStrategy.LOOK_AT, () -> 2);
        assertThat(p.task()).isSameAs(alone);
        assertThat(ranked).hasValue(0);
        // One slot for three: they are ranked, and the longer path goes first.
        TaskNode other = alone(21);
        TaskNode third = alone(22);
        queue.add(other);
        queue.add(third);
        p = queue.take(false, t -> new Placement(t, null, null), SchedulingStrategy.LOOK_AT, () -> 1);
        assertThat(p.task()).isSameAs(longChain.get(0));
        assertThat(ranked).hasValue(3);
    }

    @Test
    void waitingTasksAreRankedAgainOnceTheProgramHasCalledMoreTasks() {
        java.util.concurrent.atomic.AtomicLong called = new java.util.concurrent.atomic.AtomicLong();
        ReadyQueue queue = new ReadyQueue(path::rank, called::get);
        DataHandle c = object(30);
        TaskNode a = alone(31);
        TaskNode b = alone(32);
        TaskNode head = register(task("short").updates(c).build());
        queue.add(a);
        queue.add(b);
        queue.add(head);
        assertThat(take(queue)).isSameAs(a); // equal ranks: ready order
        // The program now calls what depends on the last of them: ranked before, it had nothing after it.
        for (int i = 0; i < ReadyQueue.RANK_AGAIN_AFTER + 1; i++) {
            register(task("short").updates(c).build());
        }
        called.set(ReadyQueue.RANK_AGAIN_AFTER + 1);
        assertThat(take(queue)).isSameAs(head);
        assertThat(take(queue)).isSameAs(b);
    }
}
