package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaitWarningTest {
    private static final List<String> ONE_TASK = List.of("Main.spin (#1): running on localhost for 30 s");

    @Test
    void firstWarning_namesTheTasks_andSaysWhatToDoAboutOneThatNeverEnds() {
        String text = WaitWarning.text("main", 30, "for object Main$Box #1", ONE_TASK, true, 4242, true);
        assertThat(text).startsWith("weft: warning: thread 'main' has waited 30 s for object Main$Box #1; the"
                + " unfinished tasks it waits for:\nweft:   Main.spin (#1): running on localhost for 30 s\nweft: ")
                .contains("never ends", "'jstack 4242'", "waitWarning=")
                .doesNotContain("anonymous Runnable");
    }

    @Test
    void threadOtherThanMain_isToldItMayWaitForTheTaskThatStartedIt() {
        assertThat(WaitWarning.text("pool-1-thread-1", 30, "for object Main$Box #1", ONE_TASK, false, 1, true))
                .contains("anonymous Runnable", "lambda");
    }

    @Test
    void laterWarnings_sayOnlyWhatTheyWaitFor() {
        assertThat(WaitWarning.text("main", 31, "at the end of main", ONE_TASK, true, 1, false))
                .isEqualTo("weft: warning: thread 'main' has waited 31 s at the end of main; the unfinished tasks it"
                        + " waits for:\nweft:   Main.spin (#1): running on localhost for 30 s");
    }

    @Test
    void noAnswerFromTheAnalyser_isSaid() {
        assertThat(WaitWarning.text("main", 30, "at Weft.barrier()", List.of(), true, 1, false))
                .contains("no answer from the runtime");
    }
}
