package io.weft.benchmarks;

import io.weft.api.InOut;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.util.Locale;

/**
 * The program's own loops over arrays while tasks run: for each block, {@code main} fills a new array in a loop
 * and calls a task that smooths it in place; the tasks run while {@code main} fills the next blocks. At the end
 * {@code main} sums every block. The same output with and without the agent.
 *
 * <p>Usage: {@code MainLoops [blocks=200] [size=131072] [sweeps=20]}. Prints the checksum and, on standard error,
 * the time {@code main} spent filling the blocks.
 */
public final class MainLoops {
    private MainLoops() {}

    @Task
    static void smooth(@InOut double[] x, int sweeps) {
        sweep(x, sweeps);
    }

    /** Replaces each inner element by the mean of it and its two neighbours, {@code sweeps} times. */
    static void sweep(double[] x, int sweeps) {
        for (int s = 0; s < sweeps; s++) {
            double previous = x[0];
            for (int i = 1; i < x.length - 1; i++) {
                double here = x[i];
                x[i] = (previous + here + x[i + 1]) / 3;
                previous = here;
            }
        }
    }

    /** Fills {@code x} with values of a linear congruential sequence started at {@code seed}, in [0, 1). */
    static void fill(double[] x, long seed) {
        long v = seed;
        for (int i = 0; i < x.length; i++) {
            v = v * 6364136223846793005L + 1442695040888963407L;
            x[i] = (v >>> 11) * 0x1.0p-53;
        }
    }

    public static void main(String[] args) {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 131_072;
        int sweeps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        double[][] data = new double[blocks][];
        long filling = 0;
        for (int b = 0; b < blocks; b++) {
            long start = System.nanoTime();
            double[] x = new double[size];
            fill(x, b + 1);
            filling += System.nanoTime() - start;
            data[b] = x;
            smooth(x, sweeps);
        }
        Weft.barrier();
        double sum = 0;
        for (double[] x : data) {
            for (int i = 0; i < x.length; i++) {
                sum += x[i];
            }
        }
        System.out.printf(Locale.ROOT, "main-loops blocks=%d size=%d sweeps=%d sum=%.9e%n", blocks, size, sweeps, sum);
        System.err.printf(Locale.ROOT, "main-loops: main filled the blocks in %.1f ms%n", filling / 1e6);
    }
}
