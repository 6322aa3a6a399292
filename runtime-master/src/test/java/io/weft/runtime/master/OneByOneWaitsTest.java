package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneByOneWaitsTest {
    private static final OneByOneWaits.Why TOUCHED = new OneByOneWaits.Why.Touched();

    private final List<String> warnings = new ArrayList<>();
    private final OneByOneWaits waits = new OneByOneWaits(warnings::add, () -> "Main.main(Main.java:12)");

    @Test
    void sixteenWaitsForALoneTaskInARow_warnOnceNamingTheCallSite() {
        for (int i = 0; i < OneByOneWaits.IN_A_ROW; i++) {
            waits.blocked(true, TOUCHED);
        }

        assertThat(warnings).singleElement().asString()
                .startsWith("weft: warning: the program waited for a task while no other task was running 16 times"
                        + " in a row, last at Main.main(Main.java:12)")
                .contains("call all the tasks first, then use their results");
    }

    @Test
    void fewerWaitsInARow_doNotWarn() {
        for (int i = 0; i < OneByOneWaits.IN_A_ROW - 1; i++) {
            waits.blocked(true, TOUCHED);
        }

        assertThat(warnings).isEmpty();
    }

    @Test
    void aWaitWhileOtherTasksRun_startsTheCountAgain() {
        for (int i = 0; i < 10; i++) {
            waits.blocked(true, TOUCHED);
        }
        waits.blocked(false, TOUCHED);
        for (int i = 0; i < 10; i++) {
            waits.blocked(true, TOUCHED);
        }

        assertThat(warnings).isEmpty();
    }

    @Test
    void theWarning_isGivenOncePerRun() {
        for (int i = 0; i < 5 * OneByOneWaits.IN_A_ROW; i++) {
            waits.blocked(true, TOUCHED);
        }

        assertThat(warnings).hasSize(1);
    }

    @Test
    void storingAResultThatCannotWaitForItself_isAdvisedToReturnAnInterface() {
        for (int i = 0; i < OneByOneWaits.IN_A_ROW; i++) {
            waits.blocked(true, new OneByOneWaits.Why.Stored("java.util.ArrayList"));
        }

        assertThat(warnings).singleElement().asString().contains("to store a java.util.ArrayList in a collection")
                .contains("Declare the task's return type as an interface");
    }

    @Test
    void synchronousResults_areAdvisedToReturnAnObject() {
        for (int i = 0; i < OneByOneWaits.IN_A_ROW; i++) {
            waits.blocked(true, new OneByOneWaits.Why.Synchronous("Main.count", "int"));
        }

        assertThat(warnings).singleElement().asString().contains("Task Main.count returns int,")
                .contains("return an object of your own class");
    }
}
