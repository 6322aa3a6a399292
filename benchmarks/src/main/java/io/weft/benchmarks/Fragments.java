package io.weft.benchmarks;

import io.weft.api.Task;
import java.util.Locale;

/**
 * Map and reduce over big task-made fragments the program never reads: {@code fragments} tasks each make a
 * fragment of {@code mb} MB of doubles, then each of {@code iterations} iterations maps every fragment to a small
 * partial sum (weighted by the previous iteration's total) and reduces the partials in the main program. Only the
 * partial sums ever need to travel; a runtime that moves the fragments pays for it in every iteration.
 *
 * <p>Usage: {@code Fragments [fragments=8] [mb=16] [iterations=6]}. Prints the final total.
 */
public final class Fragments {
    private Fragments() {}

    /** A fragment: a block of doubles. */
    static final class Fragment {
        final double[] values;

        Fragment(double[] values) {
            this.values = values;
        }
    }

    /** A partial result: one double. */
    static final class Partial {
        final double sum;

        Partial(double sum) {
            this.sum = sum;
        }
    }

    @Task
    static Fragment make(int seed, int n) {
        double[] v = new double[n];
        long s = 0x9E3779B97F4A7C15L * (seed + 1L);
        for (int i = 0; i < n; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            v[i] = (s >>> 11) * 0x1.0p-53;
        }
        return new Fragment(v);
    }

    @Task
    static Partial map(Fragment f, double weight) {
        double sum = 0;
        double[] v = f.values;
        for (int i = 0; i < v.length; i++) {
            sum += v[i] * weight;
        }
        return new Partial(sum / v.length);
    }

    public static void main(String[] args) {
        int fragments = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int mb = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        long start = System.nanoTime();
        int n = mb * (1 << 20) / Double.BYTES;
        Fragment[] data = new Fragment[fragments];
        for (int f = 0; f < fragments; f++) {
            data[f] = make(f, n);
        }
        double weight = 1;
        for (int it = 0; it < iterations; it++) {
            Partial[] partials = new Partial[fragments];
            for (int f = 0; f < fragments; f++) {
                partials[f] = map(data[f], weight);
            }
            double total = 0;
            for (Partial p : partials) {
                total += p.sum;
            }
            weight = 1 + total / fragments / 10;
        }
        System.out.printf(Locale.ROOT, "fragments: %d x %d MB, %d iterations, weight %.12f%n", fragments, mb,
                iterations, weight);
        System.err.printf(Locale.ROOT, "fragments: %.0f ms%n", (System.nanoTime() - start) / 1e6);
    }
}
