package io.weft.benchmarks.taskbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * The program run without the agent (plain calls, in order) against a reference computed straight from the
 * graph's definition; the kernels' counts; and the tasks' check of their inputs.
 */
class HarnessTest {
    private static Config config(Dependence d, int width, int steps) {
        int period = d == Dependence.SPREAD ? Math.min(3, (width + 2) / 3) : d.hasPeriod() ? 3 : 0;
        return new Config(new TaskGraph(d, width, steps, 3, period, 0.5),
                new Kernel(Kernel.Type.COMPUTE_BOUND, 3, 0, 0, 16), 32);
    }

    /** The digest of (t, p), recursively from the definition. */
    private static long digest(TaskGraph g, int t, int p) {
        long h = Hash.combine(Hash.combine(Hash.SEED, t), p);
        for (int d : g.dependencies(t, p)) {
            h = Hash.combine(h, digest(g, t - 1, d));
        }
        return h;
    }

    @Test
    void everyPattern_sequentialRunMatchesTheDefinition() {
        for (Dependence d : Dependence.values()) {
            Config c = config(d, 7, 5);
            TaskGraph g = c.graph();
            int last = g.steps() - 1;
            long expected = Hash.SEED;
            for (int p = g.offset(last); p < g.offset(last) + g.widthAt(last); p++) {
                expected = Hash.combine(expected, digest(g, last, p));
            }
            assertThat(TaskBench.run(c).checksum()).as("%s", d).isEqualTo(expected);
        }
    }

    @Test
    void everyPattern_onAJdkPool_matchesTheSequentialRun() {
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(3);
        try {
            for (Dependence d : Dependence.values()) {
                Config c = config(d, 7, 5);
                assertThat(TaskBench.runOnPool(c, pool).checksum()).as("%s", d).isEqualTo(TaskBench.run(c).checksum());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void patternsWithDifferentEdges_giveDifferentChecksums() {
        assertThat(TaskBench.run(config(Dependence.STENCIL_1D, 5, 4)).checksum())
                .isNotEqualTo(TaskBench.run(config(Dependence.STENCIL_1D_PERIODIC, 5, 4)).checksum());
    }

    @Test
    void aTaskGivenTheWrongInput_fails() {
        Config c = config(Dependence.STENCIL_1D, 4, 3);
        PointOutput p0 = PointTasks.execute(c.spec(), 0, 0);
        PointOutput p2 = PointTasks.execute(c.spec(), 0, 2);
        // (1, 0) reads (0, 0) and (0, 1); given (0, 2) second, it says which input is wrong.
        assertThatThrownBy(() -> PointTasks.execute(c.spec(), 1, 0, p0, p2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task (1, 0), input 1").hasMessageContaining("expected the output of (0, 1)");
        assertThatThrownBy(() -> PointTasks.execute(c.spec(), 1, 0, p0))
                .hasMessageContaining("got 1 inputs, expected 2");
    }

    @Test
    void outputs_holdTheirStepAndPointOverTheRequestedBytes() {
        PointOutput o = new PointOutput(3, 5, 64, 0, 0);
        assertThat(o.words).containsExactly(3, 5, 3, 5, 3, 5, 3, 5);
    }

    @Test
    void computeBound_countsTaskBenchsFlops() {
        Kernel k = new Kernel(Kernel.Type.COMPUTE_BOUND, 1000, 0, 0, 16);
        assertThat(k.flops(0, 0)).isEqualTo(2 * 64 * 1000 + 64);
        assertThat(k.bytes(0, 0)).isZero();
    }

    @Test
    void memoryBound_countsScratchTimesIterationsOverSamples() {
        Kernel k = new Kernel(Kernel.Type.MEMORY_BOUND, 32, 0, 1 << 16, 16);
        assertThat(k.bytes(2, 1)).isEqualTo((1L << 16) * 32 / 16);
        assertThat(k.flops(2, 1)).isZero();
        k.execute(2, 1); // walks the buffer without going out of it
    }

    @Test
    void loadImbalance_variesIterationsWithinTheFactor() {
        Kernel k = new Kernel(Kernel.Type.LOAD_IMBALANCE, 1000, 1.0, 0, 16);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int t = 0; t < 20; t++) {
            for (int p = 0; p < 20; p++) {
                long n = k.iterationsAt(t, p);
                assertThat(n).isBetween(500L, 1500L).isEqualTo(k.iterationsAt(t, p));
                min = Math.min(min, n);
                max = Math.max(max, n);
            }
        }
        assertThat(max - min).isGreaterThan(700);
        assertThat(new Kernel(Kernel.Type.LOAD_IMBALANCE, 1000, 0, 0, 16).iterationsAt(3, 4)).isEqualTo(1000);
    }

    @Test
    void flags_areTaskBenchs() {
        Config c = Config.parse(("-type spread -width 12 -steps 7 -radix 4 -kernel load_imbalance -iter 9 "
                + "-imbalance 0.5 -output 64 -sweep").split(" "), new ArrayList<>());
        assertThat(c.graph().period()).isEqualTo(3);
        assertThat(c.spec()).isEqualTo("-type spread -width 12 -steps 7 -radix 4 -period 3 -kernel load_imbalance"
                + " -iter 9 -imbalance 0.5 -output 64");
        assertThat(Config.ofSpec(c.spec()).graph()).isEqualTo(c.graph());
        // spread's default period is shortened to what the width allows, as a narrow graph needs.
        assertThat(Config.parse("-type spread -width 2".split(" "), new ArrayList<>()).graph().period())
                .isEqualTo(1);
        assertThatThrownBy(() -> Config.parse(new String[] {"-type", "ring"}, new ArrayList<>()))
                .hasMessageContaining("accepted: trivial, no_comm");
    }
}
