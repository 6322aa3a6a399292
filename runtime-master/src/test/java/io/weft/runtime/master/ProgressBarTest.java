package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final TestingTerminal terminal = new TestingTerminal();
    private final AtomicLong clock = new AtomicLong();
    private final ProgressBar bar = new ProgressBar(terminal.stream, clock::get);
    private final PrintStream program = bar.programStream(terminal.stream, StandardCharsets.UTF_8);

    @Test
    void programLine_afterTheBar_startsALineOfItsOwn() {
        bar.start();
        clock.set(ProgressBar.FIRST_DRAW_NANOS);
        bar.update(256, 400, 0);
        program.println(79800);
        clock.addAndGet(ProgressBar.REDRAW_NANOS);
        bar.update(300, 400, 0);
        bar.finish(400, 400, 0);

        assertThat(terminal.screen()).containsExactly("79800", ProgressBar.text(400, 400, 0));
    }

    @Test
    void bar_waitsForTheProgramToEndItsLine() {
        bar.start();
        clock.set(ProgressBar.FIRST_DRAW_NANOS);
        program.print("working");
        bar.update(10, 20, 0);
        clock.addAndGet(ProgressBar.REDRAW_NANOS);
        bar.update(15, 20, 0);
        program.println("... done");
        clock.addAndGet(ProgressBar.REDRAW_NANOS);
        bar.update(18, 20, 1);
        bar.finish(20, 20, 1);

        assertThat(terminal.screen()).containsExactly("working... done", ProgressBar.text(20, 20, 1));
    }

    @Test
    void bar_isDrawnOnlyAfterASecond_andAtMostFiveTimesASecond() {
        bar.start();
        clock.set(ProgressBar.FIRST_DRAW_NANOS - 1);
        bar.update(1, 10, 0);
        assertThat(terminal.screen()).isEmpty();
        clock.set(ProgressBar.FIRST_DRAW_NANOS);
        bar.update(2, 10, 0);
        clock.addAndGet(ProgressBar.REDRAW_NANOS - 1);
        bar.update(3, 10, 0);
        assertThat(terminal.screen()).containsExactly(ProgressBar.text(2, 10, 0));
    }

    @Test
    void shortRun_showsNoBar_atItsEnd() {
        bar.start();
        program.println("result");
        bar.finish(3, 3, 0);
        assertThat(terminal.screen()).containsExactly("result");
    }

    @Test
    void text_saysTasksAndFailures() {
        assertThat(ProgressBar.text(800, 1600, 1))
                .isEqualTo("weft [###############               ] 800/1600 tasks, 1 failed");
    }
}
