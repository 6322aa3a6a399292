package io.weft.runtime.master;

import static io.weft.runtime.master.TestingMaster.keptBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.weft.api.TaskFailedException;
import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.SentCopy;
import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The analyser stepped by hand over two nodes behind testing gateways: what it sends, and what outcomes do. */
class AnalyserTest {
    private final TestingMaster master = new TestingMaster("n0", "n1");

    /** Calls {@code increment(box)}, then loses the node it was sent to; returns that first attempt. */
    private TaskExecution incrementThenLoseItsNode(Box box, String why) {
        master.call("increment", box);
        master.drain();
        TaskExecution first = master.sent("increment");
        master.lose(master.nodeOf(first), why);
        master.drain();
        return first;
    }

    /** Calls {@code increment(box)} then {@code read(box)}, and steps the analyser: the update is sent. */
    private Box updatedThenRead() {
        Box box = new Box(0);
        master.call("increment", box);
        master.call("read", box);
        master.drain();
        return box;
    }

    @Test
    void aFaultWhileHearingOfAnAttemptsEnd_stopsTheRun_sayingWhy_ratherThanLosingTheEnd() {
        master.call("increment", new Box(1));
        master.drain();
        TaskExecution attempt = master.sent("increment");
        master.gateway(master.nodeOf(attempt)).reportHandlingFails = new IllegalStateException("a broken gateway");

        master.succeed(attempt, null);

        assertThatThrownBy(master.synchroniser::checkAnalyser)
                .as("a program waiting for the task is told, not left waiting for an end that was lost")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the Weft runtime failed")
                .hasMessageContaining("a broken gateway");
    }

    @Test
    void submittedTask_isExecutedOnAGateway_withEachDatumBound() {
        Box from = new Box(2);
        Box into = new Box(3);
        master.call("addInto", from, into);
        assertThat(master.sent()).as("nothing is sent before the analyser takes the task").isEmpty();

        master.drain();

        assertThat(master.sent()).singleElement().satisfies(e -> {
            assertThat(e.method()).isEqualTo(SampleTasks.method("addInto"));
            assertThat(e.attempt()).isEqualTo(1);
            assertThat(e.receiverBinding()).as("a static task").isEqualTo(-1);
            assertThat(e.argumentBinding()).containsExactly(0, 1);
            // The object it only reads goes to the worker to be kept there; the one it updates goes as it is.
            assertThat(e.bindings()[0].source()).isInstanceOfSatisfying(SentCopy.class,
                    c -> assertThat(c.value()).isSameAs(from));
            assertThat(e.bindings())
                    .extracting(Binding::kind, b -> unsent(b.source()), Binding::copy, Binding::written)
                    .containsExactly(tuple(Binding.Kind.OBJECT, from, false, false),
                            tuple(Binding.Kind.OBJECT, into, false, true));
        });
    }

    @Test
    void objectTheProgramMade_isSentToAWorkerOnce_andLaterReadersThereUseItsCopy() {
        TestingMaster single = new TestingMaster("n0");
        Box from = new Box(2);
        single.call("read", from);
        single.call("read", from);
        single.drain();

        List<TaskExecution> reads = single.sent();
        assertThat(reads).hasSize(2);
        SentCopy sent = (SentCopy) reads.get(0).bindings()[0].source();
        assertThat(sent.value()).isSameAs(from);
        assertThat(reads.get(1).bindings()[0].source()).as("the second reader names the first one's copy")
                .isEqualTo(new RemoteValue(0, sent.keepAs(), DataSizes.OBJECT, Box.class.getName()));
    }

    /** What a binding stands for: the object itself when it is sent to be kept. */
    private static Object unsent(Object source) {
        return source instanceof SentCopy c ? c.value() : source;
    }

    @Test
    void sameObjectForTwoParameters_isOneBindingThatBothArgumentsName() {
        Box box = new Box(2);
        master.call("addInto", box, box);
        master.drain();

        TaskExecution e = master.sent("addInto");
        assertThat(e.argumentBinding()).containsExactly(0, 0);
        assertThat(e.bindings()).singleElement().satisfies(b -> {
            assertThat(b.source()).isSameAs(box);
            assertThat(b.written()).isTrue();
        });
    }

    @Test
    void completedOutcome_releasesTheSuccessor_whichIsThenExecuted() {
        Box box = updatedThenRead();
        assertThat(master.sent()).as("the reader waits for the update").hasSize(1);

        master.succeed(master.sent("increment"), null);
        assertThat(master.inbox.isEmpty()).as("the gateway's future posts the outcome").isFalse();
        assertThat(master.sent()).as("the analyser has not taken the outcome yet").hasSize(1);
        master.drain();

        TaskExecution reader = master.sent("read");
        assertThat(unsent(reader.bindings()[0].source())).isSameAs(box);
        assertThat(master.synchroniser.inFlight()).isEqualTo(1);
        assertThat(master.handle(box).pending).as("the reader's use is left").hasValue(1);
    }

    @Test
    void failedOutcome_isTriedAgainUpToItsRetries_thenDoomsAReader() {
        Box box = updatedThenRead();

        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(master.sent()).as("attempt %d of the update, and no reader yet", attempt).hasSize(attempt)
                    .allMatch(e -> e.name().endsWith("increment"));
            TaskExecution latest = master.sent("increment");
            assertThat(latest.attempt()).isEqualTo(attempt);
            assertThat(latest.restoreOnFailure()).as("its inputs are put back if it fails").isTrue();
            master.fail(latest, new ArithmeticException("overflow"));
            master.drain();
        }

        assertThat(master.sent()).as("the reader is not run").hasSize(3);
        assertThat(master.synchroniser.inFlight()).as("the reader ended with the update's failure").isZero();
        assertThat(master.failures.count()).as("only the root failure is logged").isEqualTo(1);
        assertThatThrownBy(() -> master.synchroniser.use(box))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("SampleTasks.increment")
                .hasMessageContaining("overflow");
    }

    @Test
    void nodeLost_sendsTheRunningAttemptToTheOtherNode() {
        Box box = new Box(0);
        TaskExecution first = incrementThenLoseItsNode(box, "connection reset");
        int lost = master.nodeOf(first);

        TaskExecution second = master.sent("increment");
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(master.nodeOf(second)).isEqualTo(1 - lost);
        master.succeed(second, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.failures.count()).isZero();
    }

    @Test
    void nodeLost_remakesAnInputOnlyThatNodeKept_byRunningItsProducerAgain_thenTheReaderRuns() {
        Object made = master.call("make", 5L);
        master.call("read", made);
        master.drain();
        TaskExecution make = master.sent("make");
        int holder = master.nodeOf(make);
        master.succeed(make, keptBox(holder, 7));
        master.drain();
        TaskExecution read = master.sent("read");
        assertThat(master.nodeOf(read)).as("placed where its input is kept").isEqualTo(holder);

        master.lose(holder, "its host went down");
        master.drain();

        TaskExecution again = master.sent().get(master.sent().size() - 1);
        assertThat(again.method()).as("the producer runs again before the reader").isEqualTo(SampleTasks.method("make"));
        assertThat(again.taskId()).as("a re-run has an id of its own").isNegative();
        assertThat(master.nodeOf(again)).isEqualTo(1 - holder);
        master.succeed(again, keptBox(1 - holder, 8));
        master.drain();

        TaskExecution reread = master.sent("read");
        assertThat(reread).isNotSameAs(read);
        assertThat(reread.bindings()[0].source()).isEqualTo(keptBox(1 - holder, 8));
        master.succeed(reread, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.failures.count()).isZero();
    }

    @Test
    void outcomeOfAnAttemptNoLongerRunning_isIgnored() {
        Box box = new Box(0);
        TaskExecution first = incrementThenLoseItsNode(box, "timed out");
        TaskExecution second = master.sent("increment");

        // The lost worker's report was already on its way when the loss was noticed.
        master.succeed(first, null, keptBox(master.nodeOf(first), 9));
        master.drain();

        assertThat(master.synchroniser.inFlight()).as("the attempt on the other node still runs").isEqualTo(1);
        assertThat(master.handle(box).pending).hasValue(1);
        master.succeed(second, null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(box.value).as("the lost worker's version is not taken for the datum's").isZero();
        assertThat(master.registry.findObject(box)).as("home, nothing away, the handle retired").isNull();
    }

    @Test
    void outcomeOfATaskThatAlreadyEnded_isIgnored() {
        Box box = new Box(0);
        master.call("increment", box);
        master.drain();
        TaskExecution attempt = master.sent("increment");
        master.succeed(attempt, null);
        master.drain();

        TaskOutcome again = master.gateway(master.nodeOf(attempt)).attempts.get(attempt).join();
        master.inbox.post(new AnalyserEvent.Completed(again, attempt.attempt()));
        master.drain();

        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.failures.count()).isZero();
    }

    @Test
    void idleNode_getsTheTasksQueuedAtABusyOne_thatHaveNotStarted() {
        // Two nodes of two slots, each taking up to four single-core tasks: eight independent tasks, four each.
        for (int i = 0; i < 8; i++) {
            master.call("make", (long) i);
        }
        master.drain();
        List<TaskExecution> onN0 = List.copyOf(master.gateway(0).executions);
        List<TaskExecution> onN1 = List.copyOf(master.gateway(1).executions);
        assertThat(onN0).hasSize(4);
        assertThat(onN1).hasSize(4);

        // n1 runs through its four; nothing is ready, so as a core of n1 frees, n1 asks n0 for what waits there,
        // the task sent last first; one request at a time.
        onN1.forEach(e -> master.succeed(e, new Box(1)));
        master.drain();
        List<long[]> asked = List.copyOf(master.gateway(0).withdrawals.keySet());
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).containsExactly(onN0.get(3).taskId());

        // It had not started: it comes back, and goes to n1, not back to n0; n1 still has a free core and asks on.
        TaskExecution queued = onN0.get(3);
        master.gateway(0).attempts.get(queued).complete(TaskOutcome.withdrawn(queued, "n0"));
        master.gateway(0).withdrawals.get(asked.get(0)).complete(null);
        master.drain();
        assertThat(master.gateway(1).executions).hasSize(5);
        TaskExecution moved = master.gateway(1).executions.get(4);
        assertThat(moved.taskId()).isEqualTo(queued.taskId());
        assertThat(moved.attempt()).as("a withdrawn attempt does not count").isEqualTo(1);
        asked = List.copyOf(master.gateway(0).withdrawals.keySet());
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1)).containsExactly(onN0.get(2).taskId());

        // That one had started: nothing comes back, and no task is ever asked for twice.
        master.gateway(0).withdrawals.get(asked.get(1)).complete(null);
        master.drain();
        assertThat(master.gateway(0).withdrawals.keySet().stream().flatMapToLong(java.util.Arrays::stream)
                .boxed()).doesNotHaveDuplicates();
        onN0.stream().filter(e -> e != queued).forEach(e -> master.succeed(e, new Box(1)));
        master.succeed(moved, new Box(1));
        master.gateway(0).withdrawals.values().forEach(f -> f.complete(null));
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.failures.count()).isZero();
    }

    @Test
    void describeWait_namesTheTasksThatUseADatum_andWhatEachIsDoing() {
        TestingMaster single = new TestingMaster("n0");
        Box box = new Box(0);
        single.call("increment", box);
        single.call("increment", box);
        single.call("read", box);
        single.drain();
        single.clock.addAndGet(TimeUnit.SECONDS.toNanos(31));

        assertThat(single.analyser.describe(single.registry.findObject(box), null)).containsExactly(
                "SampleTasks.increment (#1): running on n0 for 31 s",
                "SampleTasks.increment (#2): not started, waiting for 1 task it depends on",
                "SampleTasks.read (#3): not started, waiting for 1 task it depends on");
    }

    @Test
    void describeWait_forEveryTask_namesThoseRunning_andCountsTheReadyOnes() {
        TestingMaster single = new TestingMaster("n0");
        for (int i = 0; i < 8; i++) {
            single.call("increment", new Box(i));
        }
        single.drain();
        single.clock.addAndGet(TimeUnit.SECONDS.toNanos(40));

        List<String> lines = single.analyser.describe(null, null);
        assertThat(lines).first().isEqualTo("SampleTasks.increment (#1): running on n0 for 40 s");
        assertThat(lines).last().asString().matches("\\d+ tasks are ready, waiting for a free executor");
    }
}
