package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.gateway.KeptAhead;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
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

    /** A run on two worker processes that take tasks sent ahead. */
    private static TestingMaster twoWorkersTakingAhead() {
        TestingMaster m = new TestingMaster("n0", "n1");
        m.gateway(0).takesAhead = true;
        m.gateway(1).takesAhead = true;
        return m;
    }

    /** A chain of three updates of one box, the first ended: the second goes, and the third ahead of its end. */
    private void chainWithThirdAhead() {
        Box box = new Box(0);
        master = twoWorkersTakingAhead();
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
        assertThat(third.bindings()[0].source()).isEqualTo(new KeptAhead(kept, node));
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
                .isEqualTo(new KeptAhead(master.gateway(other).keeps.get(retry)[0], other));
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

    // The run of the tests below, once acrossTwoWorkers has made it: into and from were updated on different nodes
    // (intoNode and fromNode), and the task adding from into into went ahead of both.
    private TaskExecution intoUpdate;
    private TaskExecution fromUpdate;
    private TaskExecution adding;
    private int intoNode;
    private int fromNode;

    /**
     * Two boxes, each updated twice, and a task that adds one into the other: once the first updates end, the
     * second ones go to their boxes' workers, and the adding task ahead of both, to the worker of the box it updates.
     */
    private void acrossTwoWorkers() {
        Box into = new Box(1);
        Box from = new Box(10);
        master = twoWorkersTakingAhead();
        master.call("increment", into);
        master.call("increment", from);
        master.drain();
        List<TaskExecution> firsts = master.sent();
        assertThat(firsts).hasSize(2);
        master.call("increment", into);
        master.call("increment", from);
        master.call("addInto", from, into);
        master.drain();
        assertThat(master.sent()).as("they wait for the first updates, which keep nothing for them").hasSize(2);
        master.succeed(firsts.get(0), null);
        master.succeed(firsts.get(1), null);
        master.drain();
        List<TaskExecution> sent = master.sent();
        assertThat(sent).hasSize(5);
        intoUpdate = sent.stream().filter(e -> e.taskId() == firsts.get(0).taskId() + 2).findFirst().orElseThrow();
        fromUpdate = sent.stream().filter(e -> e.taskId() == firsts.get(0).taskId() + 3).findFirst().orElseThrow();
        adding = master.sent("addInto");
        intoNode = master.nodeOf(intoUpdate);
        fromNode = master.nodeOf(fromUpdate);
    }

    /**
     * {@link #acrossTwoWorkers}, then the update on the adding task's worker ends, and the other worker is lost (its
     * loss not handled yet). Returns the attempts sent until then.
     */
    private List<TaskExecution> acrossTwoWorkersLosingTheOther() {
        acrossTwoWorkers();
        master.succeed(intoUpdate, null);
        List<TaskExecution> before = master.sent();
        master.lose(fromNode, "killed");
        return before;
    }

    /** The attempts sent since {@code before}, node by node. */
    private List<TaskExecution> sentSince(List<TaskExecution> before) {
        List<TaskExecution> since = master.sent();
        since.removeAll(before);
        return since;
    }

    @Test
    void aTaskWaitingForTasksOnTwoWorkers_goesAheadToTheWorkerOfWhatItUpdates_naming_whereEachInputIsKept() {
        acrossTwoWorkers();
        assertThat(fromNode).as("the boxes' updates run on both workers").isNotEqualTo(intoNode);
        assertThat(master.nodeOf(adding)).as("where the box it updates is").isEqualTo(intoNode);
        long fromKey = master.gateway(fromNode).keeps.get(fromUpdate)[0];
        long intoKey = master.gateway(intoNode).keeps.get(intoUpdate)[0];
        assertThat(adding.bindings()[0].source()).isEqualTo(new KeptAhead(fromKey, fromNode));
        assertThat(adding.bindings()[1].source()).isEqualTo(new KeptAhead(intoKey, intoNode));
        assertThat(adding.bindings()[1].copy())
                .as("on a copy: it may run there before the master hears of the other worker's end").isTrue();
    }

    @Test
    void aReportThatComesBeforeTheEndsItsTaskWaitedFor_isHandledOnceTheyAreHandled() {
        acrossTwoWorkers();

        // Its worker reports the update it ran first, then the adding task; the other worker's report of the other
        // update is still on its way.
        master.succeed(intoUpdate, null);
        master.succeed(adding, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).as("it waits for fromUpdate's end").isEqualTo(2);
        master.succeed(fromUpdate, null);
        master.drain();

        assertThat(master.sent()).as("nothing sent again").hasSize(5);
        assertThat(master.synchroniser.inFlight()).isZero();
    }

    @Test
    void whenOneOfTheTasksItWaitsForFails_aTaskSentAheadAcrossWorkersIsTakenBack_andGoesAgainAfterTheRetry() {
        acrossTwoWorkers();

        master.succeed(intoUpdate, null);
        master.fail(fromUpdate, new IllegalStateException("boom"));
        List<TaskExecution> before = master.sent();
        master.drain();

        assertThat(master.gateway(master.nodeOf(adding)).droppedAhead).containsExactly(adding.taskId());
        List<TaskExecution> again = sentSince(before);
        assertThat(again).as("the failed update is tried again, and the adding task goes ahead behind it")
                .hasSize(2);
        TaskExecution retry = again.get(0);
        TaskExecution addingAgain = again.get(1);
        assertThat(retry.taskId()).isEqualTo(fromUpdate.taskId());
        assertThat(addingAgain.taskId()).isEqualTo(adding.taskId());
        assertThat(addingAgain.attempt()).as("a number of its own: the worker it was held on may still report the"
                + " first (it counts as attempt 1 all the same)").isEqualTo(2);
        int retryNode = master.nodeOf(retry);
        assertThat(master.nodeOf(addingAgain)).isEqualTo(retryNode);
        assertThat(addingAgain.bindings()[0].source())
                .isEqualTo(new KeptAhead(master.gateway(retryNode).keeps.get(retry)[0], retryNode));
        master.succeed(retry, null);
        master.succeed(addingAgain, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
    }

    @Test
    void whenATaskFails_aTaskSentAheadBehindItAndBehindATaskSentAheadBehindIt_isTakenBackOnce() {
        Box a = new Box(1);
        Box b = new Box(2);
        master = twoWorkersTakingAhead();
        master.call("increment", a);
        master.drain();
        TaskExecution first = master.sent("increment");
        master.call("increment", a); // p
        master.call("addInto", a, b); // t: waits for p
        master.call("addInto", b, a); // u: waits for t and p both
        master.succeed(first, null);
        master.drain();
        List<TaskExecution> sent = master.sent();
        assertThat(sent).as("p, and t and u ahead of its end").hasSize(4);
        TaskExecution p = sent.stream().filter(e -> e.taskId() == first.taskId() + 1).findFirst().orElseThrow();
        int at = master.nodeOf(p);

        master.fail(p, new IllegalStateException("boom"));
        master.drain();

        assertThat(master.gateway(at).droppedAhead).containsExactlyInAnyOrder(p.taskId() + 1, p.taskId() + 2);
        List<TaskExecution> again = sentSince(sent);
        assertThat(again).as("p tried again, t and u ahead of it again").hasSize(3);
        again.forEach(e -> master.succeed(e, null));
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
    }

    @Test
    void whenTheWorkerOfATaskItWaitsForIsLost_aTaskHeldOnAnotherWorkerItNeverStarted_goesAgainAfterThatTaskRan() {
        List<TaskExecution> before = acrossTwoWorkersLosingTheOther();
        master.drain();
        assertThat(master.gateway(intoNode).withdrawals.keySet()).as("its worker is asked to give it back")
                .singleElement().satisfies(ids -> assertThat(ids).containsExactly(adding.taskId()));
        master.gateway(intoNode).attempts.get(adding).complete(TaskOutcome.withdrawn(adding, "n" + intoNode));
        master.drain();

        List<TaskExecution> again = sentSince(before);
        assertThat(again).extracting(TaskExecution::taskId).as("the lost update runs again; the adding task waits")
                .containsExactly(fromUpdate.taskId());
        master.succeed(again.get(0), null);
        master.drain();
        List<TaskExecution> adds = master.gateway(intoNode).executions.stream()
                .filter(e -> e.taskId() == adding.taskId()).toList();
        assertThat(adds).as("sent again, where the only worker left is").hasSize(2);
        TaskExecution addingAgain = adds.get(1);
        assertThat(addingAgain.attempt()).as("given back: it was no attempt").isEqualTo(1);
        assertThat(addingAgain.bindings()[0].source()).as("sent when ready, once a worker was lost")
                .isNotInstanceOf(KeptAhead.class);
        master.succeed(addingAgain, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
    }

    @Test
    void whenTheWorkerOfATaskItWaitsForIsLost_aTaskHeldOnAnotherWorkerThatRanOnWhatItMade_keepsItsResult() {
        // The other worker was lost after it answered the adding task's worker,
        List<TaskExecution> before = acrossTwoWorkersLosingTheOther();
        master.succeed(adding, null); // which ran it, and reports it (not given back)
        master.drain();

        List<TaskExecution> again = sentSince(before);
        assertThat(again).extracting(TaskExecution::taskId).as("the lost update runs again, and only it")
                .containsExactly(fromUpdate.taskId());
        assertThat(master.synchroniser.inFlight()).isEqualTo(2);
        master.succeed(again.get(0), null);
        master.drain();
        assertThat(master.sent()).as("the adding task is not sent again").hasSize(before.size() + 1);
        assertThat(master.synchroniser.inFlight()).isZero();
    }

    /**
     * Two boxes, each step adding one into the other: each task reads what the task before it made and updates what
     * the one before that made, so the paths from a task to those behind it multiply with each step.
     */
    @Test
    void inALatticeOfTasksEachWaitingForTwo_theTasksBehindARunningOneGoAheadManyStepsDeep_toTheirWorkersLimit() {
        master = twoWorkersTakingAhead();
        Box a = new Box(1);
        Box b = new Box(2);
        master.call("increment", a);
        master.call("increment", b);
        master.drain();
        List<TaskExecution> firsts = master.sent();
        int steps = 40;
        for (int i = 0; i < steps; i++) {
            master.call("addInto", i % 2 == 0 ? b : a, i % 2 == 0 ? a : b);
        }
        master.drain();
        master.succeed(firsts.get(0), null);
        master.succeed(firsts.get(1), null);
        master.drain();
        List<TaskExecution> sent = master.sent();
        sent.removeAll(firsts);
        int node = master.nodeOf(sent.get(0));
        assertThat(sent).as("the first step, and as many steps behind it as its worker holds: 8 per task slot")
                .hasSize(1 + 2 * Analyser.AHEAD_PER_SLOT);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).taskId()).isEqualTo(sent.get(0).taskId() + i);
            assertThat(master.nodeOf(sent.get(i))).as("where what it updates is made").isEqualTo(node);
        }

        master.succeed(sent.get(0), null);
        master.drain();
        List<TaskExecution> next = master.sent();
        next.removeAll(firsts);
        next.removeAll(sent);
        assertThat(next).as("the next step started there, and one more goes ahead").hasSize(1);
        assertThat(next.get(0).taskId()).isEqualTo(sent.get(sent.size() - 1).taskId() + 1);
        assertThat(master.nodeOf(next.get(0))).isEqualTo(node);
    }
}
