package io.weft.benchmarks.taskbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreGapsTest {
    private static String line(String name, String node, int core, long start, long end) {
        return "{\"task\":1,\"name\":\"" + name + "\",\"implementation\":\"" + name + "\",\"node\":\"" + node
                + "\",\"cores\":[" + core + "],\"gpus\":[],\"attempt\":1,\"startNanos\":" + start + ",\"endNanos\":"
                + end + ",\"failed\":false}";
    }

    @Test
    void gaps_areTakenBetweenConsecutiveTasksOfOneCoreOnly() {
        List<String> lines = List.of(
                line("PointTasks.point1", "localhost", 0, 0, 100_000),
                line("PointTasks.point1", "localhost", 0, 110_000, 200_000),      // gap 10 µs
                line("PointTasks.point1", "localhost", 1, 5_000, 105_000),
                line("PointTasks.point1", "localhost", 1, 135_000, 200_000),      // gap 30 µs
                line("PointTasks.point1", "localhost", 0, 220_000, 300_000),      // gap 20 µs
                line("TaskBench.iterationsFor", "localhost", 1, 400_000, 500_000)); // not a point: left out
        CoreGaps.Summary s = CoreGaps.summarise(lines, "PointTasks.");
        assertThat(s.tasks()).isEqualTo(5);
        assertThat(s.cores()).isEqualTo(2);
        assertThat(s.medianMicros()).isCloseTo(20, within(1e-9));
        assertThat(s.p90Micros()).isCloseTo(30, within(1e-9));
        // busy: core 0 270 of 300 µs, core 1 165 of 195 µs
        assertThat(s.busy()).isCloseTo(435.0 / 495.0, within(1e-9));
    }
}
