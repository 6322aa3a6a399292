package io.weft.benchmarks.taskbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Each pattern's dependencies against Task Bench's definitions ({@code core/core.cc}), on small graphs worked by
 * hand: which points of step t-1 the task at (t, p) reads.
 */
class TaskGraphTest {
    private static TaskGraph graph(Dependence d, int width, int steps) {
        return TaskGraph.of(d, width, steps);
    }

    @Test
    void everyPattern_hasNoDependenciesAtStepZero() {
        for (Dependence d : Dependence.values()) {
            TaskGraph g = d == Dependence.SPREAD ? new TaskGraph(d, 9, 4, 3, 3, 0.25) : graph(d, 8, 4);
            for (int p = g.offset(0); p < g.offset(0) + g.widthAt(0); p++) {
                assertThat(g.dependencies(0, p)).as("%s point %d", d, p).isEmpty();
            }
        }
    }

    @Test
    void trivial_hasNone() {
        assertThat(graph(Dependence.TRIVIAL, 4, 3).dependencies(2, 1)).isEmpty();
    }

    @Test
    void noComm_readsItsOwnPoint() {
        assertThat(graph(Dependence.NO_COMM, 4, 3).dependencies(1, 2)).containsExactly(2);
    }

    @Test
    void stencil1d_readsItsNeighboursWithinTheEdges() {
        TaskGraph g = graph(Dependence.STENCIL_1D, 4, 3);
        assertThat(g.dependencies(1, 0)).containsExactly(0, 1);
        assertThat(g.dependencies(1, 2)).containsExactly(1, 2, 3);
        assertThat(g.dependencies(2, 3)).containsExactly(2, 3);
        assertThat(graph(Dependence.STENCIL_1D, 1, 2).dependencies(1, 0)).containsExactly(0);
    }

    @Test
    void stencil1dPeriodic_wrapsAroundTheEdges() {
        TaskGraph g = graph(Dependence.STENCIL_1D_PERIODIC, 4, 3);
        assertThat(g.dependencies(1, 0)).containsExactly(0, 1, 3);
        assertThat(g.dependencies(1, 1)).containsExactly(0, 1, 2);
        assertThat(g.dependencies(1, 3)).containsExactly(0, 2, 3);
        // Width 2: the wrapped neighbour is the other point, counted once.
        assertThat(graph(Dependence.STENCIL_1D_PERIODIC, 2, 2).dependencies(1, 0)).containsExactly(0, 1);
    }

    @Test
    void dom_isAWavefrontThatWidensThenShifts() {
        TaskGraph g = graph(Dependence.DOM, 3, 5);
        // Points per step: {0}, {0,1}, {0,1,2}, {1,2}, {2}.
        int[][] points = {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {2, 1}};
        for (int t = 0; t < 5; t++) {
            assertThat(new int[] {g.offset(t), g.widthAt(t)}).as("step %d", t).containsExactly(points[t]);
        }
        assertThat(g.dependencies(1, 0)).containsExactly(0);
        assertThat(g.dependencies(1, 1)).containsExactly(0);
        assertThat(g.dependencies(2, 2)).containsExactly(1);
        assertThat(g.dependencies(3, 1)).containsExactly(0, 1);
        assertThat(g.dependencies(4, 2)).containsExactly(1, 2);
        assertThat(g.tasks()).isEqualTo(9);
    }

    @Test
    void tree_doublesItsWidthAndReadsTheParent() {
        TaskGraph g = graph(Dependence.TREE, 4, 4);
        assertThat(new int[] {g.widthAt(0), g.widthAt(1), g.widthAt(2), g.widthAt(3)}).containsExactly(1, 2, 4, 4);
        assertThat(g.dependencies(1, 1)).containsExactly(0);
        assertThat(g.dependencies(2, 0)).containsExactly(0);
        assertThat(g.dependencies(2, 3)).containsExactly(1);
        assertThat(g.dependencies(3, 2)).containsExactly(1);
        assertThat(g.tasks()).isEqualTo(11);
    }

    @Test
    void fft_butterflyDistanceCyclesThroughPowersOfTwo() {
        TaskGraph g = graph(Dependence.FFT, 8, 6);
        assertThat(g.dependencies(1, 3)).containsExactly(2, 3, 4);   // distance 1
        assertThat(g.dependencies(2, 3)).containsExactly(1, 3, 5);   // distance 2
        assertThat(g.dependencies(3, 3)).containsExactly(3, 7);      // distance 4; 3 - 4 is outside
        assertThat(g.dependencies(3, 5)).containsExactly(1, 5);      // 5 + 4 is outside
        assertThat(g.dependencies(4, 0)).containsExactly(0, 1);      // distance 1 again
    }

    @Test
    void allToAll_readsEveryPoint() {
        assertThat(graph(Dependence.ALL_TO_ALL, 3, 2).dependencies(1, 1)).containsExactly(0, 1, 2);
    }

    @Test
    void nearest_readsRadixPointsAroundItself() {
        TaskGraph r3 = graph(Dependence.NEAREST, 5, 2);
        assertThat(r3.dependencies(1, 0)).containsExactly(0, 1);
        assertThat(r3.dependencies(1, 2)).containsExactly(1, 2, 3);
        TaskGraph r4 = new TaskGraph(Dependence.NEAREST, 5, 2, 4, 0, 0.25);
        assertThat(r4.dependencies(1, 2)).containsExactly(0, 1, 2, 3); // p - 2 .. p + 1
        assertThat(new TaskGraph(Dependence.NEAREST, 5, 2, 1, 0, 0.25).dependencies(1, 4)).containsExactly(4);
        assertThat(new TaskGraph(Dependence.NEAREST, 5, 2, 0, 0, 0.25).dependencies(1, 4)).isEmpty();
    }

    @Test
    void spread_spacesRadixPointsEvenlyAndShiftsThemWithThePeriod() {
        TaskGraph g = new TaskGraph(Dependence.SPREAD, 9, 5, 3, 3, 0.25);
        assertThat(g.dependencies(3, 0)).containsExactly(0, 3, 6);   // step 3: set 0
        assertThat(g.dependencies(1, 0)).containsExactly(0, 4, 7);   // set 1: the far ones shift by 1
        assertThat(g.dependencies(2, 5)).containsExactly(1, 4, 5);   // set 2: 5, 10 % 9, 13 % 9
        assertThatThrownBy(() -> new TaskGraph(Dependence.SPREAD, 8, 5, 3, 4, 0.25))
                .hasMessageContaining("period of at most 3");
    }

    @Test
    void randomNearest_keepsItselfAndASubsetOfNearestsWindow() {
        TaskGraph none = new TaskGraph(Dependence.RANDOM_NEAREST, 8, 4, 5, 3, 0.0);
        TaskGraph all = new TaskGraph(Dependence.RANDOM_NEAREST, 8, 4, 5, 3, 1.0);
        TaskGraph nearest = new TaskGraph(Dependence.NEAREST, 8, 4, 5, 0, 0.25);
        TaskGraph some = new TaskGraph(Dependence.RANDOM_NEAREST, 64, 4, 9, 3, 0.5);
        TaskGraph window = new TaskGraph(Dependence.NEAREST, 64, 4, 9, 0, 0.25);
        int kept = 0;
        int offered = 0;
        for (int t = 1; t < 4; t++) {
            for (int p = 0; p < 8; p++) {
                assertThat(none.dependencies(t, p)).containsExactly(p);
                assertThat(all.dependencies(t, p)).containsExactly(nearest.dependencies(t, p));
            }
            for (int p = 0; p < 64; p++) {
                int[] d = some.dependencies(t, p);
                assertThat(d).contains(p);
                assertThat(window.dependencies(t, p)).contains(d);
                assertThat(some.dependencies(t, p)).as("deterministic").containsExactly(d);
                kept += d.length - 1;
                offered += window.dependencies(t, p).length - 1;
            }
        }
        assertThat((double) kept / offered).as("fraction of the window kept").isBetween(0.4, 0.6);
        // The draw depends on the step (modulo the period): not the same edges at every step.
        boolean differs = false;
        for (int p = 0; p < 64; p++) {
            differs |= !java.util.Arrays.equals(some.dependencies(1, p), some.dependencies(2, p));
        }
        assertThat(differs).isTrue();
    }

    @Test
    void dependencies_areAlwaysPointsOfThePreviousStep() {
        for (Dependence d : Dependence.values()) {
            TaskGraph g = d == Dependence.SPREAD ? new TaskGraph(d, 12, 9, 3, 3, 0.25) : graph(d, 12, 9);
            for (int t = 1; t < g.steps(); t++) {
                for (int p = g.offset(t); p < g.offset(t) + g.widthAt(t); p++) {
                    for (int dep : g.dependencies(t, p)) {
                        assertThat(dep).as("%s (%d, %d)", d, t, p)
                                .isBetween(g.offset(t - 1), g.offset(t - 1) + g.widthAt(t - 1) - 1);
                    }
                }
            }
        }
    }

    @Test
    void aPointOutsideTheGraph_isRejected() {
        assertThatThrownBy(() -> graph(Dependence.TREE, 4, 3).dependencies(1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(1, 3)");
    }
}
