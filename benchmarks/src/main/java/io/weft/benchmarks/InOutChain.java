package io.weft.benchmarks;

import io.weft.api.InOut;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.util.Locale;

/**
 * Latency per link of a chain of INOUT tasks: each task increments one counter, so each must wait for the one
 * before; the time per link is the runtime's round trip from one task's end to the next one's start. Repeats
 * {@code rounds} times; the best round is reported.
 *
 * <p>Usage: {@code InOutChain [links=100000] [rounds=5]}.
 */
public final class InOutChain {
    private InOutChain() {}

    @Task
    static void step(@InOut Counter c) {
        c.value++;
    }

    public static void main(String[] args) {
        int links = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double best = Double.MAX_VALUE;
        Counter c = new Counter(0);
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < links; i++) {
                step(c);
            }
            Weft.barrier();
            double micros = (System.nanoTime() - start) / 1e3 / links;
            best = Math.min(best, micros);
            System.err.printf(Locale.ROOT, "round %d: %.2f us/link%n", r + 1, micros);
        }
        System.out.printf(Locale.ROOT, "inout-chain links=%d value=%d best=%.2f us/link%n", links, c.value, best);
    }
}
