package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.TaskFailedException;
import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.worker.TaskExecution;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Task groups over the analyser stepped by hand: a failure or a cancel stops the group's pending tasks and cancels
 * its running ones on their workers; a cancelled attempt's end is a skip, not a failure; groups nest.
 */
class AnalyserGroupTest {
    private final TestingMaster master = new TestingMaster("n0", "n1");

    /** The attempt sent for the task with that id. */
    private TaskExecution attempt(long taskId) {
        return master.sent().stream().filter(e -> e.taskId() == taskId)
                .max(java.util.Comparator.comparingInt(TaskExecution::attempt))
                .orElseThrow(() -> new AssertionError("task #" + taskId + " was not sent"));
    }

    /** Fails every attempt the task's policy makes (the sample tasks retry twice): its failure is then final. */
    private void failEveryAttempt(long taskId, Throwable error) {
        for (int i = 0; i < 3; i++) {
            master.fail(attempt(taskId), error);
            master.drain();
        }
    }

    private List<Long> cancelled() {
        return java.util.stream.Stream.of(master.gateway(0), master.gateway(1))
                .flatMap(g -> g.cancelled.stream()).toList();
    }

    /** The ids of the attempts sent so far, in order. */
    private List<Long> sentIds() {
        return master.sent().stream().map(TaskExecution::taskId).sorted().toList();
    }

    @Test
    void failureInAGroup_cancelsItsRunningTask_whoseInterruptedEndIsASkip_andCloseRethrowsTheFailure() {
        Box a = new Box(1);
        Box b = new Box(1);
        Group g = master.synchroniser.openGroup("g");
        master.call("increment", a);
        master.call("increment", b);
        master.drain();
        List<Long> ids = sentIds();
        assertThat(ids).hasSize(2);

        failEveryAttempt(ids.get(0), new IllegalStateException("boom"));
        master.drain();
        assertThat(cancelled()).as("the running sibling is cancelled on its worker").containsExactly(ids.get(1));

        master.fail(attempt(ids.get(1)), new CancellationException("interrupted"));
        master.drain();
        assertThat(master.sent()).as("the failed task's three attempts; a cancelled task is not tried again")
                .hasSize(4);
        assertThat(master.sent().stream().filter(e -> e.taskId() == ids.get(1))).hasSize(1);
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThatThrownBy(g::close).isInstanceOf(TaskFailedException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("boom");
        assertThatCode(() -> master.synchroniser.use(b)).as("its datum keeps its previous version")
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> master.synchroniser.use(a)).isInstanceOf(TaskFailedException.class);
    }

    @Test
    void explicitCancel_cancelsRunningTasks_skipsPendingOnes_andCloseDoesNotThrow() {
        Box a = new Box(1);
        Group g = master.synchroniser.openGroup("g");
        master.call("increment", a);
        Box made = (Box) master.call("make", 5L);
        master.call("read", a); // waits for the increment
        master.drain();
        List<Long> ids = sentIds();
        assertThat(ids).hasSize(2);

        g.cancel();
        g.cancel(); // once is enough
        master.drain();
        assertThat(cancelled()).containsExactlyInAnyOrderElementsOf(ids);
        for (long id : ids) {
            master.fail(attempt(id), new CancellationException("interrupted"));
        }
        master.drain();

        assertThat(master.sent()).as("the pending reader never runs").hasSize(2);
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThatCode(g::close).doesNotThrowAnyException();
        assertThatCode(() -> master.synchroniser.use(a)).doesNotThrowAnyException();
        assertThatThrownBy(() -> master.synchroniser.use(made)).isInstanceOf(TaskFailedException.class)
                .hasCauseInstanceOf(CancellationException.class).hasMessageContaining("task group 'g' was cancelled");
    }

    @Test
    void cancelledTask_thatSucceededBeforeTheCancelReachedIt_keepsItsResult() {
        Group g = master.synchroniser.openGroup("g");
        Box made = (Box) master.call("make", 5L);
        master.drain();
        g.cancel();
        master.drain();
        master.succeed(attempt(sentIds().get(0)), new Box(5));
        master.drain();
        assertThatCode(g::close).doesNotThrowAnyException();
        assertThatCode(() -> master.synchroniser.use(made)).doesNotThrowAnyException();
    }

    @Test
    void failureOfAnOuterGroup_cancelsTheTasksOfNestedGroups() {
        Box a = new Box(1);
        Box b = new Box(1);
        Group outer = master.synchroniser.openGroup("outer");
        master.call("increment", a);
        Group inner = master.synchroniser.openGroup("inner");
        master.call("increment", b);
        master.drain();
        List<Long> ids = sentIds();

        failEveryAttempt(ids.get(0), new IllegalStateException("outer task failed"));
        master.drain();
        assertThat(cancelled()).containsExactly(ids.get(1));
        master.fail(attempt(ids.get(1)), new CancellationException("interrupted"));
        master.drain();

        assertThatCode(inner::close).as("the inner group's own tasks did not fail").doesNotThrowAnyException();
        assertThatThrownBy(outer::close).isInstanceOf(TaskFailedException.class)
                .hasRootCauseMessage("outer task failed");
    }

    @Test
    void failureInANestedGroup_stopsOnlyThatGroup_andTheOuterCloseWaitsForBoth() {
        Box a = new Box(1);
        Box b = new Box(1);
        Group outer = master.synchroniser.openGroup("outer");
        master.call("increment", a);
        Group inner = master.synchroniser.openGroup("inner");
        master.call("increment", b);
        master.drain();
        List<Long> ids = sentIds();
        assertThat(outer.unfinished).as("the nested group's task counts in the outer one").hasValue(2);

        failEveryAttempt(ids.get(1), new IllegalStateException("inner task failed"));
        master.drain();
        assertThat(cancelled()).as("the outer group's task runs on").isEmpty();
        assertThatThrownBy(inner::close).isInstanceOf(TaskFailedException.class)
                .hasRootCauseMessage("inner task failed");

        master.succeed(attempt(ids.get(0)), null);
        master.drain();
        assertThatCode(outer::close).doesNotThrowAnyException();
    }

    @Test
    void cancellingAnOuterGroup_cancelsNestedOnes() {
        Box b = new Box(1);
        Group outer = master.synchroniser.openGroup("outer");
        Group inner = master.synchroniser.openGroup("inner");
        master.call("increment", b);
        master.call("read", b);
        master.drain();
        long id = sentIds().get(0);

        outer.cancel();
        master.drain();
        assertThat(cancelled()).containsExactly(id);
        master.fail(attempt(id), new CancellationException("interrupted"));
        master.drain();
        assertThat(master.sent()).hasSize(1);
        assertThatCode(inner::close).doesNotThrowAnyException();
        assertThatCode(outer::close).doesNotThrowAnyException();
    }
}
