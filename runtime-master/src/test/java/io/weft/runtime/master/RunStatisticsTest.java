package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.spi.WeftRuntime;
import io.weft.runtime.master.config.RuntimeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunStatisticsTest {
    private static RunStatistics statistics(String runtimeCompiler) {
        return new RunStatistics(RuntimeConfig.from(Map.of("summary", "false", "progress", "false",
                "runtimeCompiler", runtimeCompiler)));
    }

    @Test
    void manyShortTasksWithTheRuntimeLeftToC1_getTheTip() {
        assertThat(statistics("c1").compilerTip(300_000, 300_000, 300_000 * 10_000L))
                .isEqualTo("weft: tip: 300000 tasks of 10 us on average; with so many short tasks,"
                        + " runtimeCompiler=c2 may run them faster (docs/agent-options.md)");
    }

    @Test
    void fewerTasks_longerTasks_orC2Already_getNone() {
        assertThat(statistics("c1").compilerTip(150_000, 150_000, 150_000 * 10_000L)).isNull();
        assertThat(statistics("c1").compilerTip(300_000, 300_000, 300_000 * 60_000L)).isNull();
        assertThat(statistics("c1").compilerTip(300_000, 0, 0)).isNull();
        assertThat(statistics("C2").compilerTip(300_000, 300_000, 300_000 * 10_000L)).isNull();
    }

    @Test
    void firstTasksShortForTheExecutors_areBrisk_andGetNoTip() {
        RunStatistics s = statistics("auto");
        s.started(1, 2, false);
        for (int i = 1; i < RunStatistics.PACE_TASKS; i++) {
            s.ended(false, 90_000);
        }
        assertThat(s.pace()).isEqualTo(WeftRuntime.PACE_UNKNOWN);
        s.ended(false, 90_000);
        assertThat(s.pace()).as("90 us a task on 2 executors").isEqualTo(WeftRuntime.PACE_BRISK);
        assertThat(s.compilerTip(300_000, 300_000, 300_000 * 10_000L)).isNull();
    }

    @Test
    void firstTasksOfMidSize_areSteady_andLongOnes_slow() {
        RunStatistics s = statistics("auto");
        s.started(1, 2, false);
        for (int i = 0; i < RunStatistics.PACE_TASKS; i++) {
            s.ended(false, 110_000);
        }
        assertThat(s.pace()).as("110 us a task on 2 executors").isEqualTo(WeftRuntime.PACE_STEADY);

        RunStatistics slow = statistics("auto");
        slow.started(1, 2, false);
        for (int i = 0; i < RunStatistics.PACE_TASKS; i++) {
            slow.ended(false, i % 2 == 0 ? 2_100_000 : 500_000);
        }
        assertThat(slow.pace()).as("half of them 2.1 ms a task on 2 executors").isEqualTo(WeftRuntime.PACE_SLOW);
    }

    @Test
    void theTip_isForRunsLeftToC1() {
        RunStatistics steady = statistics("auto");
        steady.started(1, 2, false);
        for (int i = 0; i < RunStatistics.PACE_TASKS; i++) {
            steady.ended(false, 110_000);
        }
        assertThat(steady.compilerTip(300_000, 300_000, 300_000 * 10_000L)).isNotNull();
        assertThat(statistics("auto").compilerTip(300_000, 300_000, 300_000 * 10_000L)).as("pace unknown").isNull();
    }

    @Test
    void tasksThatDidNotRun_doNotTellThePace() {
        RunStatistics s = statistics("auto");
        s.started(1, 2, false);
        for (int i = 0; i < RunStatistics.PACE_TASKS; i++) {
            s.ended(false, 0);
        }
        assertThat(s.pace()).as("taken from a checkpoint, say").isEqualTo(WeftRuntime.PACE_UNKNOWN);
        for (int i = 0; i < RunStatistics.PACE_TASKS; i++) {
            s.ended(false, 110_000);
        }
        assertThat(s.pace()).isEqualTo(WeftRuntime.PACE_STEADY);
    }
}
