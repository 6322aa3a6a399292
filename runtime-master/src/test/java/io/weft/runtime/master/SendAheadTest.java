package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.gateway.KeptAhead;
import io.weft.runtime.worker.TaskExecution;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tasks sent ahead to the worker of the one task they wait for, stepped by hand over testing gateways that take
 * them: what goes ahead, what the producer keeps for it, and what happens when the producer ends well or not.
 */
class SendAheadTest {
    // The run of each test, once chainWithThirdAhead has made it: its second task was sent, and its third sent
    // ahead of the second's end, to the worker of node.
    private TestingMaster master;
    private TaskExecution second;
    private TaskExecution third;
    private int node;

    /** A chain of three updates of one box, the first ended: the second goes, and the third ahead of its end. */
    private void chainWithThirdAhead() {
        Box box = new Box(0);
        master = new TestingMaster("n0", "n1");
        master.gateway(0).takesAhead = true;
        master.gateway(1).takesAhead = true;
        master.call("increment", box);
        master.drain(); // sent before anything waits for it: nothing is kept for tasks sent ahead
        TaskExecution first = master.sent("increment");
        assertThat(master.gateway(master.nodeOf(first)).keeps.get(first)).isNull();
        master.call("increment", box);
        master.call("increment", box);
        master.drain();
        assertThat(master.sent()).as("the second waits for the first, which keeps nothing for it").hasSize(1);
        master.succeed(first, null);
        master.drain();
        second = master.sent().get(1);
        third = master.sent().get(2);
        node = master.nodeOf(second);
    }

    @Test
    void aTaskWaitingForOneTaskOnAWorker_goesThereAhead_readingWhatThatTaskKeeps() {
        chainWithThirdAhead();
        assertThat(master.sent()).hasSize(3);
        assertThat(master.nodeOf(third)).as("the worker of the task it waits for").isEqualTo(node);
        long kept = master.gateway(node).keeps.get(second)[0];
        assertThat(kept).isNotZero();
        assertThat(third.bindings()[0].source()).isEqualTo(new KeptAhead(kept));
        assertThat(third.bindings()[0].copy()).as("updated in place there").isFalse();

        master.succeed(second, null);
        master.drain();
        assertThat(master.sent()).as("not sent again: it started there").hasSize(3);
        assertThat(master.gateway(node).forgotten).as("kept while the task sent ahead reads it").doesNotContain(kept);
        master.succeed(third, null);
        master.drain();
        assertThat(master.gateway(node).forgotten).containsExactly(kept);
        assertThat(master.gateway(node).droppedAhead).isEmpty();
    }

    @Test
    void whenTheTaskItWaitsForFails_aTaskSentAheadIsTakenBack_andGoesAheadAgainBehindTheRetry() {
        chainWithThirdAhead();

        master.fail(second, new IllegalStateException("boom"));
        master.drain();

        assertThat(master.gateway(node).droppedAhead).containsExactly(third.taskId());
        assertThat(master.gateway(node).forgotten).as("nothing was kept").isEmpty();
        List<TaskExecution> again = master.sent().subList(3, master.sent().size());
        assertThat(again).hasSize(2);
        TaskExecution retry = again.get(0);
        TaskExecution thirdAgain = again.get(1);
        assertThat(retry.taskId()).isEqualTo(second.taskId());
        assertThat(retry.attempt()).isEqualTo(2);
        int other = master.nodeOf(retry);
        assertThat(other).as("tried again on the other worker").isEqualTo(1 - node);
        assertThat(thirdAgain.taskId()).isEqualTo(third.taskId());
        assertThat(thirdAgain.attempt()).as("the dropped attempt did not count").isEqualTo(1);
        assertThat(master.nodeOf(thirdAgain)).isEqualTo(other);
        assertThat(thirdAgain.bindings()[0].source())
                .isEqualTo(new KeptAhead(master.gateway(other).keeps.get(retry)[0]));
    }

    @Test
    void aTaskThatCouldNotBeSentAhead_goesTheUsualWay_onceTheTaskItWaitsForEnded() {
        chainWithThirdAhead();

        // What the gateway reports when it cannot send an attempt (an argument that does not serialise, say).
        master.gateway(node).attempts.get(third).complete(io.weft.runtime.worker.TaskOutcome.notRun(third,
                new IllegalArgumentException("cannot serialise"), "n" + node));
        master.drain();
        assertThat(master.sent()).as("it waits for the second again").hasSize(3);

        master.succeed(second, null);
        master.drain();
        TaskExecution thirdAgain = master.sent().get(3);
        assertThat(thirdAgain.taskId()).isEqualTo(third.taskId());
        assertThat(thirdAgain.attempt()).isEqualTo(1);
        assertThat(thirdAgain.bindings()[0].source()).isNotInstanceOf(KeptAhead.class);
    }

    @Test
    void whenItsWorkerIsLost_theTasksSentAheadThereGoAgainAfterTheTaskTheyWaitFor() {
        chainWithThirdAhead();

        master.lose(node, "killed");
        master.drain();

        assertThat(master.gateway(node).droppedAhead).containsExactly(third.taskId());
        List<TaskExecution> again = master.sent().subList(3, master.sent().size());
        assertThat(again).singleElement().satisfies(e -> {
            assertThat(e.taskId()).isEqualTo(second.taskId());
            assertThat(master.nodeOf(e)).isEqualTo(1 - node);
        });
        master.succeed(again.get(0), null);
        master.drain();
        TaskExecution thirdAgain = master.sent().get(master.sent().size() - 1);
        assertThat(thirdAgain.taskId()).isEqualTo(third.taskId());
        assertThat(thirdAgain.bindings()[0].source()).as("sent when ready, once a worker was lost")
                .isNotInstanceOf(KeptAhead.class);
    }
}
