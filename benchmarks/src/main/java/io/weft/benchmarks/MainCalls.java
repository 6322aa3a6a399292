package io.weft.benchmarks;

import io.weft.api.InOut;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The program's own method calls while a task runs: {@code main} calls a task that smooths an array, then, while
 * it runs, tallies a list of values through an object of its own ({@code tally.add(values.get(i))}), round after
 * round. The same output with and without the agent.
 *
 * <p>Usage: {@code MainCalls [rounds=100000] [sweeps=20000]}. Prints the tally and a checksum of the array and, on
 * standard error, the time {@code main} spent tallying.
 */
public final class MainCalls {
    private MainCalls() {}

    /** The program's own object: not task data. */
    static final class Tally {
        double sum;
        long count;

        void add(double v) {
            sum += v;
            count++;
        }
    }

    @Task
    static void smooth(@InOut double[] x, int sweeps) {
        MainLoops.sweep(x, sweeps);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int sweeps = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        double[] x = new double[65_536];
        MainLoops.fill(x, 7);
        smooth(x, sweeps);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            values.add(i * 0.5);
        }
        Tally tally = new Tally();
        long start = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < values.size(); i++) {
                tally.add(values.get(i));
            }
        }
        long tallying = System.nanoTime() - start;
        Weft.barrier();
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        System.out.printf(Locale.ROOT, "main-calls rounds=%d sweeps=%d tally=%.1f count=%d sum=%.9e%n", rounds, sweeps,
                tally.sum, tally.count, sum);
        System.err.printf(Locale.ROOT, "main-calls: main tallied in %.1f ms%n", tallying / 1e6);
    }
}
