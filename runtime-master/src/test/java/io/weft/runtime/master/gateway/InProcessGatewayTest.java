package io.weft.runtime.master.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerResources;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process gateway tells an attempt's end to its callback directly, with no future: once, whichever way the
 * attempt ends. Real executor threads, one executor, so that a second attempt waits in the queue.
 */
class InProcessGatewayTest {
    private static volatile CountDownLatch started = new CountDownLatch(1);
    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** The tasks: public, as the executors call them from another package. */
    public static final class Tasks {
        private Tasks() {}

        /** Returns a value. */
        public static int answer() {
            return 42;
        }

        /** Holds its executor until the test releases it, or its thread is interrupted. */
        public static int hold() throws InterruptedException {
            started.countDown();
            release.await(60, TimeUnit.SECONDS);
            return 1;
        }
    }

    private InProcessGateway gateway;
    /** Each report told, as (task id, outcome, error). */
    private final List<Object[]> told = new CopyOnWriteArrayList<>();
    private final BiConsumer<TaskOutcome, Throwable> reported = (o, e) -> told.add(new Object[] {o.taskId(), o, e});

    @AfterEach
    void tearDown() {
        release.countDown();
    }

    private void start() {
        started = new CountDownLatch(1);
        release = new CountDownLatch(1);
        gateway = InProcessGateway.start("local", 1, WorkerResources.cores(1));
    }

    private static TaskExecution attempt(long id, String method) throws Exception {
        return new TaskExecution(id, "T." + method, Tasks.class.getMethod(method), new Object[0],
                new int[0], -1, new Binding[0], 1, -1, ResourceDemand.ONE_CORE, null, false, 0, false);
    }

    /** The reports of one task, once the test has waited for them to settle. */
    private List<TaskOutcome> toldOf(long taskId) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (told.stream().noneMatch(r -> (long) r[0] == taskId) && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // a second report, were there one, would come now
        return told.stream().filter(r -> (long) r[0] == taskId).map(r -> {
            assertThat(r[2]).as("an attempt here ends with an outcome, never an error").isNull();
            return (TaskOutcome) r[1];
        }).toList();
    }

    /** Task 1 holds the one executor; task 2 waits in the queue behind it. */
    private void oneRunningOneQueued() throws Exception {
        start();
        gateway.execute(attempt(1, "hold"), null, reported);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        gateway.execute(attempt(2, "answer"), null, reported);
    }

    @Test
    void anAttemptThatEnds_isToldOnce_withItsResult() throws Exception {
        start();
        gateway.execute(attempt(1, "answer"), null, reported);
        assertThat(toldOf(1)).singleElement().satisfies(o -> {
            assertThat(o.error()).isNull();
            assertThat(o.succeeded()).isTrue();
            assertThat(o.result()).isEqualTo(42);
        });
    }

    @Test
    void anAttemptWithdrawnWhileQueued_isToldOnce_asWithdrawn_andDoesNotRun() throws Exception {
        oneRunningOneQueued();
        gateway.withdraw(new long[] {2});
        release.countDown();
        assertThat(toldOf(2)).singleElement().satisfies(o -> assertThat(o.isWithdrawn()).isTrue());
        assertThat(toldOf(1)).singleElement().satisfies(o -> assertThat(o.succeeded()).isTrue());
    }

    @Test
    void anAttemptCancelledWhileQueued_orWhileRunning_isToldOnce_ofACancellation() throws Exception {
        oneRunningOneQueued();
        gateway.cancel(new long[] {2}); // queued
        gateway.cancel(new long[] {1}); // running: interrupted
        for (long id : new long[] {1, 2}) {
            assertThat(toldOf(id)).as("task %d", id).singleElement()
                    .satisfies(o -> assertThat(o.error()).isInstanceOf(CancellationException.class));
        }
    }
}
