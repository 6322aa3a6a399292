package io.weft.benchmarks.taskbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** METG as chart_metg.py computes it, on sweeps small enough to work by hand (1 core, 1 task: granularity = time). */
class MetgTest {
    private static Metg.Point point(long iter, double seconds, double work) {
        return new Metg.Point(iter, seconds, 1, work);
    }

    @Test
    void efficiency_isAgainstTheLargestGranularitysRate() {
        List<Double> e = Metg.efficiencies(List.of(point(4, 4, 4), point(2, 2.5, 2), point(1, 2, 1)));
        assertThat(e).containsExactly(1.0, 0.8, 0.5);
    }

    @Test
    void crossing_isInterpolatedBetweenTheLastPointAboveAndTheFirstBelow() {
        // Rates 1, 0.8, 0.2: the threshold lies between the second (2 s) and the third (1 s) point,
        // at 1 + (0.5 - 0.2) / (0.8 - 0.2) * (2 - 1) = 1.5 s.
        Metg.Result r = Metg.compute(List.of(point(1, 1, 0.2), point(4, 4, 4), point(2, 2, 1.6)), 1, 0.5);
        assertThat(r.micros()).isCloseTo(1.5e6, within(1e-3));
        assertThat(r.bounded()).isFalse();
        assertThat(r.peak()).isEqualTo(1.0);
    }

    @Test
    void granularity_countsCores() {
        Metg.Point p = new Metg.Point(10, 2.0, 1000, 1);
        assertThat(p.granularityMicros(2)).isCloseTo(4000, within(1e-9));
    }

    @Test
    void noPointBelowTheThreshold_givesAnUpperBound() {
        Metg.Result r = Metg.compute(List.of(point(4, 4, 4), point(2, 2, 1.6)), 1, 0.5);
        assertThat(r.micros()).isCloseTo(2e6, within(1e-3));
        assertThat(r.bounded()).isTrue();
    }

    @Test
    void aFinerPointThatIsNotFaster_isNotInterpolated() {
        // The third point is below 50% but took as long per task: the second point is METG.
        Metg.Result r = Metg.compute(List.of(point(4, 4, 4), point(2, 2, 1.6), point(1, 2, 0.2)), 1, 0.5);
        assertThat(r.micros()).isCloseTo(2e6, within(1e-3));
    }
}
