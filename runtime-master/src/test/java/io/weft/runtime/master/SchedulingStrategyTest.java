package io.weft.runtime.master;

import static io.weft.runtime.master.ConstrainedTasks.definition;
import static io.weft.runtime.master.ConstrainedTasks.input;
import static io.weft.runtime.master.ConstrainedTasks.method;
import static io.weft.runtime.master.ConstrainedTasks.on;
import static io.weft.runtime.master.ConstrainedTasks.send;
import static io.weft.runtime.master.ConstrainedTasks.task;
import static io.weft.runtime.master.TestingNodes.cluster;
import static io.weft.runtime.master.TestingNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.Constraint;
import io.weft.resources.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SchedulingStrategyTest {
    /** Node 0: four x86 cores. Node 1: eight x86 cores and two GPUs. */
    private final Cluster cluster = cluster(
            node("cpu-node").cpu("Xeon", Architecture.AMD64, 4).build(),
            node("gpu-node").cpu("EPYC", Architecture.AMD64, 8).gpus("A100", 2, "40GB").build());
    private final ReadyQueue queue = new ReadyQueue();

    private final TaskDefinition plain = on(cluster, definition("plain", method(Kernels.class, "plain")));
    private final TaskDefinition urgent = on(cluster, definition("urgent", true, method(Kernels.class, "plain")));
    private final TaskDefinition gpu = on(cluster, definition("gpu", method(Kernels.class, "twoGpus")));

    @SuppressWarnings("unused")
    private static final class Kernels {
        void plain() {}

        @Constraint(gpus = 2)
        void twoGpus() {}
    }

    private TaskNode ready(TaskDefinition def) {
        TaskNode t = task(def);
        queue.add(t);
        return t;
    }

    private TaskNode next(SchedulingStrategy strategy) {
        Placement p = strategy.next(queue, cluster);
        return p == null ? null : p.task();
    }

    /** Takes both GPUs of the GPU node, as a running task would. */
    private TaskNode occupyGpus() {
        return send(cluster, cluster.place(task(gpu), false, true));
    }

    /** Sends {@code tasks} plain tasks to a node, as running tasks. */
    private void fill(int node, int tasks) {
        for (int i = 0; i < tasks; i++) {
            send(cluster, new Placement(task(plain), cluster.nodes[node], plain.implementations().get(0)));
        }
    }

    // ------------------------------------------------------------------ order

    @Test
    void fifo_takesTheOldestReadyTask() {
        TaskNode a = ready(plain);
        TaskNode b = ready(plain);
        TaskNode c = ready(plain);

        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(a);
        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(b);
        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(c);
        assertThat(next(SchedulingStrategy.FIFO)).isNull();
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void lifo_takesTheNewestReadyTask() {
        TaskNode a = ready(plain);
        TaskNode b = ready(plain);
        TaskNode c = ready(plain);

        assertThat(next(SchedulingStrategy.LIFO)).isSameAs(c);
        assertThat(next(SchedulingStrategy.LIFO)).isSameAs(b);
        assertThat(next(SchedulingStrategy.LIFO)).isSameAs(a);
    }

    @Test
    void locality_takesTheOldestReadyTask() {
        TaskNode a = ready(plain);
        ready(plain);

        assertThat(next(SchedulingStrategy.LOCALITY)).isSameAs(a);
    }

    @Test
    void releasedTasks_goAheadOfThoseReadyAtSubmission_inReleaseOrder() {
        TaskNode submitted = ready(plain);
        TaskNode r1 = task(plain);
        TaskNode r2 = task(plain);
        queue.addAllReleased(List.of(r1, r2));

        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(r1);
        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(r2);
        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(submitted);
    }

    @Test
    void priorityTasks_goFirstUnderEveryPolicy() {
        for (SchedulingStrategy strategy : List.of(SchedulingStrategy.FIFO, SchedulingStrategy.LIFO,
                SchedulingStrategy.LOCALITY)) {
            ReadyQueue q = new ReadyQueue();
            TaskNode before = task(plain);
            TaskNode p1 = task(urgent);
            TaskNode p2 = task(urgent);
            TaskNode after = task(plain);
            for (TaskNode t : List.of(before, p1, p2, after)) {
                q.add(t);
            }

            TaskNode first = strategy.next(q, cluster).task();
            TaskNode second = strategy.next(q, cluster).task();

            assertThat(List.of(first, second)).as(String.valueOf(strategy)).containsExactlyInAnyOrder(p1, p2);
            assertThat(q.size()).isEqualTo(2);
        }
    }

    @Test
    void priorityTasks_areTakenInThePolicysOrderAmongThemselves() {
        ready(plain);
        TaskNode p1 = ready(urgent);
        TaskNode p2 = ready(urgent);

        assertThat(next(SchedulingStrategy.LIFO)).isSameAs(p2);
        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(p1);
    }

    // ------------------------------------------------------------------ tasks that do not fit now

    @Test
    void taskThatFitsNowhere_isSkipped_andALaterOneThatFitsIsTaken() {
        TaskNode running = occupyGpus();
        TaskNode waiting = ready(gpu);
        TaskNode fits = ready(plain);

        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(fits);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(next(SchedulingStrategy.FIFO)).isNull();

        cluster.ended(running, 1_000, true);

        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(waiting);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void taskThatFitsNowhere_isSkippedUnderLifoToo() {
        occupyGpus();
        TaskNode fits = ready(plain);
        ready(gpu);

        assertThat(next(SchedulingStrategy.LIFO)).isSameAs(fits);
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void waitingDemandingTask_stopsPlainTasksFromQueueingAhead() {
        fill(0, 4);
        fill(1, 8); // every core of the run is taken; the GPUs are free

        ready(plain);
        assertThat(next(SchedulingStrategy.FIFO)).as("look-ahead while nothing demanding waits").isNotNull();

        ready(gpu); // needs a core of the GPU node too
        ready(plain);
        assertThat(queue.hasDemanding()).isTrue();
        assertThat(next(SchedulingStrategy.FIFO)).as("no look-ahead while a GPU task waits").isNull();
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void hasDemanding_followsTheDemandingTasksInTheQueue() {
        ready(plain);
        assertThat(queue.hasDemanding()).isFalse();

        ready(gpu);
        assertThat(queue.hasDemanding()).isTrue();

        next(SchedulingStrategy.FIFO); // plain
        next(SchedulingStrategy.FIFO); // gpu (the GPUs are free)
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.hasDemanding()).isFalse();
    }

    // ------------------------------------------------------------------ bounded look

    /** A GPU task of its own definition, so that the queue cannot skip it as like the one before. */
    private TaskNode distinctGpuTask(int i, boolean priority) {
        return task(on(cluster, definition("gpu" + i, priority, method(Kernels.class, "twoGpus"))));
    }

    @Test
    void onlyTheFirstLookAtTasksAreExamined() {
        occupyGpus();
        for (int i = 0; i < SchedulingStrategy.LOOK_AT; i++) {
            queue.add(distinctGpuTask(i, false));
        }
        TaskNode fits = ready(plain);

        assertThat(next(SchedulingStrategy.FIFO)).as("the plain task is number LOOK_AT + 1").isNull();
        assertThat(next(SchedulingStrategy.LIFO)).as("from the other end it is the first").isSameAs(fits);
    }

    @Test
    void aTaskJustWithinLookAt_isTaken() {
        occupyGpus();
        for (int i = 0; i < SchedulingStrategy.LOOK_AT - 1; i++) {
            queue.add(distinctGpuTask(i, false));
        }
        TaskNode fits = ready(plain);

        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(fits);
    }

    @Test
    void lookAtLimit_countsPriorityAndOrdinaryTasksTogether() {
        occupyGpus();
        for (int i = 0; i < SchedulingStrategy.LOOK_AT; i++) {
            queue.add(distinctGpuTask(i, true));
        }
        ready(plain);

        assertThat(next(SchedulingStrategy.FIFO)).isNull();
    }

    @Test
    void take_examinesExactlyTheLimit() {
        for (int i = 0; i < 100; i++) {
            queue.add(task(on(cluster, definition("plain" + i, method(Kernels.class, "plain")))));
        }
        AtomicInteger examined = new AtomicInteger();

        assertThat(queue.take(false, t -> {
            examined.incrementAndGet();
            return null;
        }, SchedulingStrategy.LOOK_AT)).isNull();

        assertThat(examined).hasValue(SchedulingStrategy.LOOK_AT);
        assertThat(queue.size()).isEqualTo(100);
    }

    @Test
    void tasksLikeTheOneThatJustDidNotFit_areSkippedWithoutBeingExamined() {
        for (int i = 0; i < 100; i++) {
            ready(gpu);
        }
        TaskNode other = ready(plain);
        List<TaskNode> examined = new ArrayList<>();

        Placement p = queue.take(false, t -> {
            examined.add(t);
            return t == other ? new Placement(t, cluster.nodes[0], t.definition.implementations().get(0)) : null;
        }, SchedulingStrategy.LOOK_AT);

        assertThat(examined).hasSize(2).endsWith(other);
        assertThat(p.task()).isSameAs(other);
        assertThat(queue.size()).isEqualTo(100);
    }

    @Test
    void manyQueuedTasksOfOneDefinitionThatFitsNowhere_doNotHideALaterTask() {
        occupyGpus();
        for (int i = 0; i < 10 * SchedulingStrategy.LOOK_AT; i++) {
            ready(gpu);
        }
        TaskNode fits = ready(plain);

        assertThat(next(SchedulingStrategy.FIFO)).isSameAs(fits);
    }

    @Test
    void fullCluster_yieldsNothing() {
        fill(0, 8);
        fill(1, 16); // twice the slots everywhere
        ready(plain);

        assertThat(cluster.hasRoom(true)).isFalse();
        assertThat(next(SchedulingStrategy.FIFO)).isNull();
        assertThat(queue.size()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ placement per policy

    @Test
    void locality_placesOnTheNodeHoldingTheInputs_fifoOnTheFreestNode() {
        TaskNode t = task(plain, input(new double[1000], 0));
        queue.add(t);
        assertThat(SchedulingStrategy.FIFO.next(queue, cluster).node().name()).isEqualTo("gpu-node");

        queue.add(t);
        assertThat(SchedulingStrategy.LOCALITY.next(queue, cluster).node().name()).isEqualTo("cpu-node");
    }

    // ------------------------------------------------------------------ names

    @Test
    void named_acceptsThePolicyNamesInAnyCase() {
        assertThat(SchedulingStrategy.named("fifo")).isSameAs(SchedulingStrategy.FIFO);
        assertThat(SchedulingStrategy.named("LIFO")).isSameAs(SchedulingStrategy.LIFO);
        assertThat(SchedulingStrategy.named("Locality")).isSameAs(SchedulingStrategy.LOCALITY);
    }

    @Test
    void named_unknownPolicy_failsListingTheAcceptedNames() {
        assertThatThrownBy(() -> SchedulingStrategy.named("random"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("random")
                .hasMessageContaining("locality, fifo, lifo");
    }
}
