package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.spi.WeftRuntime;
import io.weft.runtime.master.config.RuntimeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pace of a run's first tasks ({@code runtimeCompiler=auto}) and the end-of-run tip about it. */
class RunStatisticsTest {
    private static final long MANY = 300_000;

    private static RunStatistics statistics(String runtimeCompiler) {
        return new RunStatistics(RuntimeConfig.from(Map.of("summary", "false", "progress", "false",
                "runtimeCompiler", runtimeCompiler)));
    }

    /** A run under {@code auto} on two executors whose first {@code tasks} each ran {@code runNanos}. */
    private static RunStatistics ran(long tasks, long runNanos) {
        RunStatistics s = statistics("auto");
        s.started(1, 2, false);
        for (long i = 0; i < tasks; i++) {
            s.ended(false, runNanos);
        }
        return s;
    }

    /** The tip after {@link #MANY} tasks of 10 µs on average. */
    private static String tipAfterManyShortTasks(RunStatistics s) {
        return s.compilerTip(MANY, MANY, MANY * 10_000L);
    }

    @Test
    void manyShortTasksWithTheRuntimeLeftToC1_getTheTip() {
        assertThat(tipAfterManyShortTasks(statistics("c1")))
                .isEqualTo("weft: tip: 300000 tasks of 10 us on average; with so many short tasks,"
                        + " runtimeCompiler=c2 may run them faster (docs/agent-options.md)");
        assertThat(tipAfterManyShortTasks(ran(RunStatistics.PACE_TASKS, 110_000))).as("auto, mid-sized first tasks")
                .isNotNull();
    }

    @Test
    void fewerTasks_longerTasks_orC2_getNone() {
        assertThat(statistics("c1").compilerTip(150_000, 150_000, 150_000 * 10_000L)).isNull();
        assertThat(statistics("c1").compilerTip(MANY, MANY, MANY * 60_000L)).isNull();
        assertThat(statistics("c1").compilerTip(MANY, 0, 0)).isNull();
        assertThat(tipAfterManyShortTasks(statistics("C2"))).isNull();
        assertThat(tipAfterManyShortTasks(statistics("auto"))).as("pace unknown: C2 kept").isNull();
    }

    @Test
    void firstTasksShortForTheExecutors_areBrisk_andGetNoTip() {
        RunStatistics s = ran(RunStatistics.PACE_TASKS - 1, 90_000);
        assertThat(s.pace()).isEqualTo(WeftRuntime.PACE_UNKNOWN);
        s.ended(false, 90_000);
        assertThat(s.pace()).as("90 us a task on 2 executors").isEqualTo(WeftRuntime.PACE_BRISK);
        assertThat(tipAfterManyShortTasks(s)).isNull();
    }

    @Test
    void firstTasksOfMidSize_areSteady_andLongOnes_slow() {
        assertThat(ran(RunStatistics.PACE_TASKS, 110_000).pace()).as("110 us a task on 2 executors")
                .isEqualTo(WeftRuntime.PACE_STEADY);
        RunStatistics slow = ran(RunStatistics.PACE_TASKS / 2, 2_100_000);
        assertThat(slow.pace()).isEqualTo(WeftRuntime.PACE_UNKNOWN);
        for (long i = 0; i < RunStatistics.PACE_TASKS / 2; i++) {
            slow.ended(false, 500_000);
        }
        assertThat(slow.pace()).as("half of them 2.1 ms a task on 2 executors").isEqualTo(WeftRuntime.PACE_SLOW);
    }

    @Test
    void tasksThatDidNotRun_doNotTellThePace() {
        RunStatistics s = ran(RunStatistics.PACE_TASKS, 0);
        assertThat(s.pace()).as("taken from a checkpoint, say").isEqualTo(WeftRuntime.PACE_UNKNOWN);
        for (long i = 0; i < RunStatistics.PACE_TASKS; i++) {
            s.ended(false, 110_000);
        }
        assertThat(s.pace()).isEqualTo(WeftRuntime.PACE_STEADY);
    }
}
