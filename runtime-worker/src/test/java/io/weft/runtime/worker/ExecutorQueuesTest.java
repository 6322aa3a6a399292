package io.weft.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecutorQueuesTest {
    private static TaskExecution attempt(long id, int hint) {
        return new TaskExecution(id, "t" + id, null, new Object[0], new int[0], -1, new Binding[0], 1, hint);
    }

    @Test
    void hintedAttempt_goesToItsExecutorFirst() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2);
        queues.put(attempt(1, -1), -1);
        queues.put(attempt(2, 1), 1);
        assertThat(queues.take(1).taskId()).as("its own queue before the shared one").isEqualTo(2);
        assertThat(queues.take(1).taskId()).isEqualTo(1);
    }

    @Test
    void idleExecutor_stealsAttemptHintedForAnother() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2);
        queues.put(attempt(7, 0), 0);
        assertThat(queues.take(1).taskId()).as("no core idles while an attempt waits").isEqualTo(7);
    }

    @Test
    void waitingExecutor_isWokenByAHandOff() throws Exception {
        ExecutorQueues queues = new ExecutorQueues(2);
        CompletableFuture<Long> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queues.take(0).taskId();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertThat(taken).isNotDone();
        queues.put(attempt(3, 1), 1);
        assertThat(taken.get(5, TimeUnit.SECONDS)).as("woken although hinted elsewhere: executor 1 is not idle")
                .isEqualTo(3);
    }
}
