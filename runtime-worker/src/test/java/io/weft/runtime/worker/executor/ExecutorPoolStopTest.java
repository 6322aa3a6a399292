package io.weft.runtime.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerResources;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Time limits and cancels of running attempts, with real executor threads and real processes. */
class ExecutorPoolStopTest {
    private static volatile boolean release;
    private static volatile CountDownLatch started = new CountDownLatch(1);
    private static final List<Long> PIDS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger SPINS_ENDED = new AtomicInteger();

    // ------------------------------------------------------------ the tasks

    /** Spins, ignoring interrupts, until the test releases it. */
    public static int spin() {
        started.countDown();
        while (!release) {
            Thread.onSpinWait();
            Thread.yield(); // two shared cores: leave the others room
        }
        SPINS_ENDED.incrementAndGet();
        return 1;
    }

    public static int sleep() throws InterruptedException {
        started.countDown();
        Thread.sleep(60_000);
        return 1;
    }

    /** Whether the thread is interrupted as the task starts: a stop must not reach the next attempt. */
    public static boolean interrupted() {
        return Thread.currentThread().isInterrupted();
    }

    /** Returns with its thread's interrupt flag set, as a task that interrupts itself does. */
    public static int interruptsItself() {
        Thread.currentThread().interrupt();
        return 1;
    }

    /** Starts a shell whose child sleeps, records their pids, then sleeps. */
    public static int startsProcesses() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300").start();
        TaskContext.processStarted(p); // what the agent's rewrite of ProcessBuilder.start does
        PIDS.add(p.pid());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.toHandle().descendants().findAny().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        p.toHandle().descendants().forEach(h -> PIDS.add(h.pid()));
        started.countDown();
        Thread.sleep(60_000);
        return 1;
    }

    /** A datum a task updates in place. */
    public static final class Counter implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        public long value;
    }

    /** Changes its datum, then ignores its interrupt until released. */
    public static void changeThenSpin(Counter c) {
        c.value = 99;
        spin();
    }

    /** Changes its datum, then sleeps (it stops on the interrupt). */
    public static void changeThenSleep(Counter c) throws InterruptedException {
        c.value = 99;
        sleep();
    }

    // ------------------------------------------------------------ support

    private final List<TaskOutcome> outcomes = new CopyOnWriteArrayList<>();
    private ExecutorPool pool;

    @AfterEach
    void tearDown() {
        release = true;
        if (pool != null) {
            pool.shutdown();
        }
    }

    private ExecutorPool pool(int executors) {
        return pool("w", executors);
    }

    private ExecutorPool pool(String name, int executors) {
        release = false;
        started = new CountDownLatch(1);
        pool = ExecutorPool.start(name, executors, WorkerResources.cores(executors), outcomes::add);
        return pool;
    }

    private static TaskExecution attempt(long id, String method, long timeoutNanos) throws Exception {
        Method m = ExecutorPoolStopTest.class.getMethod(method);
        return new TaskExecution(id, "T." + method, m, new Object[0], new int[0], -1, new Binding[0], 1, -1,
                ResourceDemand.ONE_CORE, null, false, timeoutNanos, false);
    }

    /** An attempt that updates {@code c} in place and keeps a copy to put back should it fail. */
    private static TaskExecution updating(long id, String method, Counter c, long timeoutNanos) throws Exception {
        Method m = ExecutorPoolStopTest.class.getMethod(method, Counter.class);
        return new TaskExecution(id, "T." + method, m, new Object[1], new int[] {0}, -1,
                new Binding[] {Binding.object(c, false, true)}, 1, -1, ResourceDemand.ONE_CORE, null, false,
                timeoutNanos, true);
    }

    private static TaskOutcome run(ExecutorPool pool, TaskExecution e) throws Exception {
        CompletableFuture<TaskOutcome> f = new CompletableFuture<>();
        pool.execute(e, f::complete);
        return f.get(20, TimeUnit.SECONDS);
    }

    private static final long MS = 1_000_000;

    // ------------------------------------------------------------ tests

    @Test
    void timeout_interruptsTheTask_andTheNextAttemptRunsOnTheSameSlot() throws Exception {
        ExecutorPool pool = pool(1);
        TaskOutcome o = run(pool, attempt(1, "sleep", 200 * MS));
        assertThat(o.error()).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("T.sleep (#1)").hasMessageContaining("200 ms")
                .hasMessageContaining("stopped on the interrupt")
                .hasCauseInstanceOf(InterruptedException.class);
        TaskOutcome next = run(pool, attempt(2, "interrupted", 0));
        assertThat(next.error()).isNull();
        assertThat(next.result()).isEqualTo(false);
    }

    @Test
    void aTaskThatReturnsInterrupted_leavesItsExecutorServing_andTheNextAttemptUninterrupted() throws Exception {
        ExecutorPool pool = pool("self-interrupting", 1);
        assertThat(run(pool, attempt(1, "interruptsItself", 0)).result()).isEqualTo(1);
        Thread.sleep(200); // the executor parks, with nothing queued: a stray interrupt would end its thread here
        TaskOutcome next = run(pool, attempt(2, "interrupted", 0));
        assertThat(next.error()).isNull();
        assertThat(next.result()).isEqualTo(false);
    }

    @Test
    void timeout_ofATaskIgnoringInterrupts_abandonsItsThread_andANewOneTakesTheSlot() throws Exception {
        ExecutorPool pool = pool("abandoning", 1);
        SPINS_ENDED.set(0);
        CompletableFuture<TaskOutcome> spun = new CompletableFuture<>();
        pool.execute(attempt(1, "spin", 200 * MS), spun::complete);
        TaskOutcome o = spun.get(20, TimeUnit.SECONDS);
        assertThat(o.error()).isInstanceOf(TimeoutException.class).hasMessageContaining("abandoned");
        assertThat(o.cores()).containsExactly(0);

        TaskOutcome next = run(pool, attempt(2, "interrupted", 0)); // the one core is free again
        assertThat(next.error()).isNull();
        assertThat(next.result()).isEqualTo(false);

        Thread abandoned = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("weft-executor-abandoning-0")).findFirst().orElseThrow();
        assertThat(abandoned.isDaemon()).isTrue();
        release = true;
        abandoned.join(10_000);
        assertThat(abandoned.isAlive()).isFalse();
        // At least this one: another test's abandoned spinner, waiting on the same flag, may end with it.
        assertThat(SPINS_ENDED.get()).isPositive();
        // It returned, and reported nothing; the slot's new thread still runs tasks.
        assertThat(run(pool, attempt(3, "interrupted", 0)).error()).isNull();
        assertThat(outcomes).isEmpty();
    }

    @Test
    void timeout_endsTheProcessesTheTaskStarted_withTheirChildren() throws Exception {
        ExecutorPool pool = pool(1);
        PIDS.clear();
        TaskOutcome o = run(pool, attempt(1, "startsProcesses", 1500 * MS));
        assertThat(o.error()).isInstanceOf(TimeoutException.class);
        assertThat(PIDS).hasSizeGreaterThanOrEqualTo(2); // the shell and at least one sleep
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (PIDS.stream().anyMatch(ExecutorPoolStopTest::alive) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(PIDS).noneMatch(ExecutorPoolStopTest::alive);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void cancel_ofARunningAttempt_interruptsIt_andItFailsWithACancellation() throws Exception {
        ExecutorPool pool = pool(1);
        CompletableFuture<TaskOutcome> f = new CompletableFuture<>();
        pool.execute(attempt(7, "sleep", 0), f::complete);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.cancel(7);
        TaskOutcome o = f.get(20, TimeUnit.SECONDS);
        assertThat(o.error()).isInstanceOf(CancellationException.class)
                .hasMessageContaining("#7").hasCauseInstanceOf(InterruptedException.class);
        assertThat(run(pool, attempt(8, "interrupted", 0)).result()).isEqualTo(false);
    }

    @Test
    void cancel_ofAQueuedAttempt_takesItOut_withACancellation() throws Exception {
        ExecutorPool pool = pool(1);
        CompletableFuture<TaskOutcome> first = new CompletableFuture<>();
        CompletableFuture<TaskOutcome> queued = new CompletableFuture<>();
        pool.execute(attempt(1, "sleep", 0), first::complete);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.execute(attempt(2, "interrupted", 0), queued::complete);
        pool.cancel(2);
        assertThat(queued.get(10, TimeUnit.SECONDS).error()).isInstanceOf(CancellationException.class)
                .hasMessageContaining("before it started");
        pool.cancel(1);
        assertThat(first.get(20, TimeUnit.SECONDS).error()).isInstanceOf(CancellationException.class);
    }

    @Test
    void timedOutAttempt_putsBackWhatItUpdatedInPlace_whetherItStoppedOrWasAbandoned() throws Exception {
        ExecutorPool pool = pool("restoring", 1);
        Counter stopped = new Counter();
        stopped.value = 1;
        assertThat(run(pool, updating(1, "changeThenSleep", stopped, 200 * MS)).error())
                .isInstanceOf(TimeoutException.class);
        assertThat(stopped.value).isEqualTo(1);

        Counter abandoned = new Counter();
        abandoned.value = 2;
        assertThat(run(pool, updating(2, "changeThenSpin", abandoned, 200 * MS)).error())
                .isInstanceOf(TimeoutException.class).hasMessageContaining("abandoned");
        assertThat(abandoned.value).isEqualTo(2);
    }

    @Test
    void cancel_ofATaskNotHere_doesNothing() throws Exception {
        ExecutorPool pool = pool(1);
        pool.cancel(99);
        assertThat(run(pool, attempt(1, "interrupted", 0)).result()).isEqualTo(false);
    }
}
