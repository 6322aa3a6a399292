package io.weft.benchmarks;

import io.weft.api.InOut;
import io.weft.api.Task;
import java.util.Locale;

/**
 * Memory stays bounded over a long run: submits {@code n} small tasks in a loop over a few accumulators (run it
 * with {@code -Xmx512m}) and prints the accumulated sum, which must equal the sequential one.
 *
 * <p>Usage: {@code ManyTasks [n=1000000]}.
 */
public final class ManyTasks {
    private ManyTasks() {}

    @Task
    static void add(@InOut Counter c, long v) {
        c.value += v;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Counter[] counters = new Counter[16];
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new Counter(0);
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            add(counters[i & 15], i);
        }
        long sum = 0;
        for (Counter c : counters) {
            sum += c.value;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long usedMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        System.out.println("many-tasks n=" + n + " sum=" + sum);
        System.err.printf(Locale.ROOT, "many-tasks: %.2f s, %d MB heap in use at the end%n", seconds, usedMb);
    }
}
