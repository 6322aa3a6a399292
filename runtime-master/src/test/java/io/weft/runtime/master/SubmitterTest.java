package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.weft.runtime.master.TestTasks.Box;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Task calls as the program's threads make them: uses counted in the handles, tasks posted to the analyser. */
class SubmitterTest {
    private final TestingMaster master = new TestingMaster("n0");

    /** The task the call posted: the only event in the inbox. */
    private TaskNode posted() {
        assertThat(master.inbox.isEmpty()).as("the call posts its task").isFalse();
        AnalyserEvent event = master.inbox.take();
        assertThat(master.inbox.isEmpty()).as("one event a call").isTrue();
        assertThat(event).isInstanceOf(TaskNode.class);
        return (TaskNode) event;
    }

    @Test
    void submission_countsAUseOfTheDatum_andPostsTheTask() {
        Box box = new Box(0);
        master.call("increment", box);

        DataHandle h = master.handle(box);
        assertThat(h.pending).hasValue(1);
        assertThat(master.synchroniser.inFlight()).isEqualTo(1);
        TaskNode task = posted();
        assertThat(task.definition.method()).isEqualTo(SampleTasks.method("increment"));
        assertThat(task.argumentAccess).containsExactly(0);
        assertThat(task.accesses).singleElement().satisfies(a -> {
            assertThat(a.handle).isSameAs(h);
            assertThat(a.mode).isEqualTo(Mode.UPDATE);
        });

        master.call("read", box);
        assertThat(h.pending).as("one use a pending task").hasValue(2);
        assertThat(posted().accesses[0].mode).isEqualTo(Mode.READ);
    }

    @Test
    void sameObjectForTwoParameters_isOneAccess_countedOnce() {
        Box box = new Box(0);
        master.call("addInto", box, box);

        assertThat(master.handle(box).pending).hasValue(1);
        TaskNode task = posted();
        assertThat(task.argumentAccess).containsExactly(0, 0);
        assertThat(task.accesses).singleElement().satisfies(a -> assertThat(a.mode).isEqualTo(Mode.UPDATE));
    }

    @Test
    void objectResult_isAPlaceholderReturnedAtOnce_thatCountsAUseOfItsOwn() {
        Object made = master.call("make", 5L);

        assertThat(made).isInstanceOf(Box.class);
        assertThat(master.handle(made).pending).hasValue(1);
        TaskNode task = posted();
        assertThat(task.argumentAccess).as("a plain value is not data").containsExactly(-1);
        assertThat(task.resultAccess).isZero();
        assertThat(task.accesses).singleElement().satisfies(a -> {
            assertThat(a.handle.home()).isSameAs(made);
            assertThat(a.mode).isEqualTo(Mode.RESULT);
        });
    }

    @Test
    void usesAreGivenBackWhenTheTaskEnds_andTheHandleRetires() {
        Box box = new Box(0);
        master.call("increment", box);
        DataHandle h = master.handle(box);
        master.drain();

        master.succeed(master.sent("increment"), null);
        master.drain();

        assertThat(h.pending).hasValue(-1);
        assertThat(master.registry.findObject(box)).isNull();
        master.call("read", box);
        assertThat(master.handle(box)).as("a later call makes a fresh handle").isNotSameAs(h);
    }

    /** An inbox whose next post of a task fails as a full heap would make it, before the task is queued. */
    private static final class FailingInbox extends Analyser.Inbox {
        Error fail;

        @Override
        void enqueue(AnalyserEvent event) {
            Error e = fail;
            if (e != null && event instanceof TaskNode) {
                fail = null;
                throw e;
            }
            super.enqueue(event);
        }
    }

    @Test
    void aCallWhosePostFails_leavesNothingWaitingForItsTask_andTheProgramGoesOn() {
        FailingInbox inbox = new FailingInbox();
        TestingMaster master = new TestingMaster(inbox, "n0");
        Box box = new Box(0);
        Group group = master.synchroniser.openGroup("g");
        OutOfMemoryError full = new OutOfMemoryError("Java heap space (injected)");
        inbox.fail = full;

        assertThatThrownBy(() -> master.call("increment", box)).as("the program hears the error").isSameAs(full);

        assertThat(inbox.isEmpty()).as("nothing was posted").isTrue();
        assertThat(master.synchroniser.inFlight()).as("the end of main waits for no task").isZero();
        assertThat(master.synchroniser.hasPendingTasks()).isFalse();
        assertThat(group.unfinished).as("the group's close waits for no task").hasValue(0);
        assertThat(master.registry.findObject(box)).as("the datum's use was given back").isNull();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            master.synchroniser.use(box); // the program reads the datum: no wait
            master.synchroniser.awaitInFlightBelow(1, "at the end of main");
        });

        master.call("increment", box);
        assertThat(master.drain()).as("the next call is posted").isEqualTo(1);
        master.succeed(master.sent("increment"), null);
        master.drain();
        assertThat(master.synchroniser.inFlight()).isZero();
        assertTimeoutPreemptively(Duration.ofSeconds(10), group::close, "nothing is left for the group to wait for");
    }
}
