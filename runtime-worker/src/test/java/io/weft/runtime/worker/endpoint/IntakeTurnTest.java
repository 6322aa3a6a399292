package io.weft.runtime.worker.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IntakeTurnTest {
    @Test
    void jobs_runInOrder_oneAtATime_onTheIntakeThread_whenNoExecutorIsIdle() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        IntakeTurn turn = new IntakeTurn("n", (job, preferred) -> false, thread);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            int n = i;
            turn.execute(() -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                ran.add(n);
                inside.decrementAndGet();
                done.countDown();
            });
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(most.get()).isEqualTo(1);
        assertThat(ran).isSortedAccordingTo(Integer::compare).hasSize(200);
        thread.shutdown();
    }

    @Test
    void anIdleExecutor_runsAFewJobs_andLeavesTheRestToTheIntakeThread() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "intake"));
        List<Runnable> offered = new ArrayList<>();
        // The executor is asked once and runs the turn later, as one woken from its park would.
        IntakeTurn turn = new IntakeTurn("n", (job, preferred) -> offered.add(job), thread);
        List<String> ranOn = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(IntakeTurn.EXECUTOR_JOBS + 3);
        for (int i = 0; i < IntakeTurn.EXECUTOR_JOBS + 3; i++) {
            turn.execute(() -> {
                ranOn.add(Thread.currentThread().getName());
                done.countDown();
            }, 0);
        }
        assertThat(offered).as("an executor was asked").isNotEmpty();
        Thread executor = new Thread(offered.get(0), "executor");
        executor.start();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.subList(0, IntakeTurn.EXECUTOR_JOBS)).containsOnly("executor");
        assertThat(ranOn.subList(IntakeTurn.EXECUTOR_JOBS, ranOn.size())).containsOnly("intake");
        thread.shutdown();
    }

    @Test
    void aJobThatThrows_doesNotStopTheJobsAfterIt() throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        IntakeTurn turn = new IntakeTurn("n", (job, preferred) -> false, thread);
        CountDownLatch after = new CountDownLatch(1);
        turn.execute(() -> {
            throw new OutOfMemoryError("a test's");
        });
        turn.execute(after::countDown);
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        thread.shutdown();
    }
}
