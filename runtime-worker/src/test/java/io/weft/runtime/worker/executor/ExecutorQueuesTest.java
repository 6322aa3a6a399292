package io.weft.runtime.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.WorkerResources;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecutorQueuesTest {
    private static TaskExecution attempt(long id, int hint) {
        return attempt(id, hint, ResourceDemand.ONE_CORE);
    }

    private static TaskExecution attempt(long id, int hint, ResourceDemand demand) {
        return new TaskExecution(id, "t" + id, null, new Object[0], new int[0], -1, new Binding[0], 1, hint, demand,
                null, false, 0, false);
    }

    private static long id(ExecutorQueues.Started s) {
        return s.execution().taskId();
    }

    private static CompletableFuture<ExecutorQueues.Started> takeAsync(ExecutorQueues queues, int self) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return queues.take(self, null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void hintedAttempt_goesToItsExecutorFirst() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2, WorkerResources.cores(2));
        queues.put(attempt(1, -1), -1);
        queues.put(attempt(2, 1), 1);
        ExecutorQueues.Started first = queues.take(1, null);
        assertThat(id(first)).as("its own queue before the shared one").isEqualTo(2);
        assertThat(first.assignment().cores()).as("the executor's own core").containsExactly(1);
        assertThat(id(queues.take(0, null))).isEqualTo(1);
    }

    @Test
    void queuedAttempt_canBeWithdrawn_butAStartedOneCannot() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(1, WorkerResources.cores(1));
        queues.put(attempt(1, -1), -1);
        queues.put(attempt(2, 0), 0);
        queues.put(attempt(3, -1), -1);
        ExecutorQueues.Started running = queues.take(0, null);
        assertThat(id(running)).isEqualTo(2);
        assertThat(queues.withdraw(2)).as("it started").isNull();
        assertThat(id(queues.withdraw(3))).isEqualTo(3);
        assertThat(queues.withdraw(3)).as("withdrawn once").isNull();
        assertThat(id(queues.take(0, running.assignment()))).as("what is left runs").isEqualTo(1);
        CompletableFuture<ExecutorQueues.Started> next = takeAsync(queues, 0);
        Thread.sleep(50);
        assertThat(next).as("the withdrawn attempt never runs here").isNotDone();
        next.cancel(true);
    }

    @Test
    void idleExecutor_stealsAttemptHintedForAnother() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2, WorkerResources.cores(2));
        queues.put(attempt(7, 0), 0);
        assertThat(id(queues.take(1, null))).as("no core idles while an attempt waits").isEqualTo(7);
    }

    @Test
    void waitingExecutor_isWokenByAHandOff() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2, WorkerResources.cores(2));
        CompletableFuture<ExecutorQueues.Started> taken = takeAsync(queues, 0);
        Thread.sleep(50);
        assertThat(taken).isNotDone();
        queues.put(attempt(3, 1), 1);
        assertThat(id(taken.get(5, TimeUnit.SECONDS))).as("woken although hinted elsewhere: executor 1 is not idle")
                .isEqualTo(3);
    }

    @Test
    void multiCoreAttempt_waitsUntilEnoughCoresAreFree_thenHoldsDistinctOnes() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(4, WorkerResources.cores(4));
        queues.put(attempt(1, -1), -1);
        queues.put(attempt(2, -1), -1);
        ExecutorQueues.Started a = queues.take(0, null);
        ExecutorQueues.Started b = queues.take(1, null);
        queues.put(attempt(3, -1, new ResourceDemand(3, 0, 0, 0, "")), -1);
        CompletableFuture<ExecutorQueues.Started> big = takeAsync(queues, 2);
        Thread.sleep(50);
        assertThat(big).as("only two of four cores are free").isNotDone();
        queues.release(a.assignment());
        ExecutorQueues.Started started = big.get(5, TimeUnit.SECONDS);
        assertThat(started.assignment().cores()).hasSize(3).doesNotContain(b.assignment().cores()[0]);
    }

    @Test
    void gpus_goToOneAttemptAtATime_andRespectDeviceMemory() throws Exception {
        long gb = 1L << 30;
        WorkerResources node = new WorkerResources(4,
                List.of(new WorkerResources.Gpu("A100", 16 * gb, "NVIDIA"), new WorkerResources.Gpu("A100", 40 * gb, "NVIDIA"),
                        new WorkerResources.Gpu("A100", 40 * gb, "NVIDIA")), -1);
        ExecutorQueues queues = new ExecutorQueues(4, node);
        queues.put(attempt(1, -1, new ResourceDemand(1, 1, 32 * gb, 0, "")), -1);
        queues.put(attempt(2, -1, new ResourceDemand(1, 2, 0, 0, "")), -1);
        queues.put(attempt(3, -1, new ResourceDemand(1, 1, 0, 0, "")), -1);
        ExecutorQueues.Started big = queues.take(0, null);
        assertThat(big.assignment().gpus()).as("the first device with 32 GB").containsExactly(1);
        ExecutorQueues.Started next = queues.take(1, null);
        assertThat(id(next)).as("two GPUs are free: 0 and 2").isEqualTo(2);
        assertThat(next.assignment().gpus()).containsExactly(0, 2);
        CompletableFuture<ExecutorQueues.Started> third = takeAsync(queues, 2);
        Thread.sleep(50);
        assertThat(third).as("no device is free").isNotDone();
        queues.release(big.assignment());
        assertThat(third.get(5, TimeUnit.SECONDS).assignment().gpus()).containsExactly(1);
    }

    @Test
    void memory_isReservedWhileAnAttemptRuns() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2, new WorkerResources(2, List.of(), 10L << 30));
        queues.put(attempt(1, -1, new ResourceDemand(1, 0, 0, 6L << 30, "")), -1);
        queues.put(attempt(2, -1, new ResourceDemand(1, 0, 0, 6L << 30, "")), -1);
        ExecutorQueues.Started first = queues.take(0, null);
        CompletableFuture<ExecutorQueues.Started> second = takeAsync(queues, 1);
        Thread.sleep(50);
        assertThat(second).as("6 GB of 10 are taken").isNotDone();
        queues.release(first.assignment());
        assertThat(id(second.get(5, TimeUnit.SECONDS))).isEqualTo(2);
    }

    @Test
    void gpusOfANamedModel_areChosenWhenTheWorkerHasThatModel() throws Exception {
        WorkerResources node = new WorkerResources(4, List.of(new WorkerResources.Gpu("MI250", 64L << 30, "AMD"),
                new WorkerResources.Gpu("V100", 16L << 30, "NVIDIA")), -1);
        ExecutorQueues queues = new ExecutorQueues(4, node);
        queues.put(attempt(1, -1, new ResourceDemand(1, 1, 0, 0, "v100")), -1);
        queues.put(attempt(2, -1, new ResourceDemand(1, 1, 0, 0, "Power9")), -1);
        assertThat(queues.take(0, null).assignment().gpus()).as("the V100, not the first free GPU").containsExactly(1);
        assertThat(queues.take(1, null).assignment().gpus()).as("no GPU of that name: any").containsExactly(0);
    }

    @Test
    void chore_runsOnThePreferredIdleExecutor_whichThenTakesTheAttemptItQueuedForItself() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2, WorkerResources.cores(2));
        assertThat(queues.offerChore(() -> { }, -1)).as("no executor is idle: the caller runs it elsewhere").isFalse();
        List<CompletableFuture<ExecutorQueues.Started>> taken = List.of(new CompletableFuture<>(),
                new CompletableFuture<>());
        List<Thread> executors = List.of(executor(queues, 0, taken.get(0)), executor(queues, 1, taken.get(1)));
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        Runnable prepare = () -> {
            ranOn.complete(Thread.currentThread());
            queues.put(attempt(5, 1), null, 1, true); // for itself, between two attempts: nobody is woken
        };
        assertThat(queues.offerChore(prepare, 1)).isTrue();
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).as("run by the executor asked for").isSameAs(executors.get(1));
        assertThat(id(taken.get(1).get(5, TimeUnit.SECONDS))).as("which takes what the chore queued").isEqualTo(5);
        Thread.sleep(50);
        assertThat(taken.get(0)).as("the other executor was not woken").isNotDone();
        assertThat(executors.get(0).getState()).isEqualTo(Thread.State.WAITING);
        queues.put(attempt(6, 0), 0);
        assertThat(id(taken.get(0).get(5, TimeUnit.SECONDS))).isEqualTo(6);
        for (Thread t : executors) {
            t.join(5_000);
        }
    }

    /** An executor thread that takes one attempt: started, and parked in {@link ExecutorQueues#take}, on return. */
    private static Thread executor(ExecutorQueues queues, int self, CompletableFuture<ExecutorQueues.Started> taken)
            throws InterruptedException {
        Thread t = new Thread(() -> {
            try {
                taken.complete(queues.take(self, null));
            } catch (InterruptedException e) {
                taken.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("the executor parks").isLessThan(until);
            Thread.sleep(1);
        }
        return t;
    }
}
