package io.weft.benchmarks;

import io.weft.api.Task;
import io.weft.api.Weft;
import java.util.Locale;

/**
 * Throughput of independent empty tasks, from submission to completion: submits {@code n} calls to a task with
 * no parameters and no body, waits at a barrier, and prints tasks per second. Repeats {@code rounds} times so the
 * JIT has warmed up for the later rounds; the best round is reported.
 *
 * <p>Usage: {@code EmptyTasks [n=1000000] [rounds=5] [pool THREADS]}. With {@code pool THREADS} (run it without the
 * agent) the same loop submits empty {@link Runnable}s to a {@code java.util.concurrent} fixed pool of that many
 * threads instead, and waits for them: the yardstick issue 12 measures Weft's rate against.
 */
public final class EmptyTasks {
    private EmptyTasks() {}

    @Task
    static void empty() {}

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (args.length > 3 && args[2].equals("pool")) {
            pool(n, rounds, Integer.parseInt(args[3]));
            return;
        }
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                empty();
            }
            Weft.barrier();
            double perSecond = n / ((System.nanoTime() - start) / 1e9);
            best = Math.max(best, perSecond);
            System.err.printf(Locale.ROOT, "round %d: %.0f tasks/s%n", r + 1, perSecond);
        }
        System.out.printf(Locale.ROOT, "empty-tasks n=%d best=%.0f tasks/s%n", n, best);
    }

    private static void pool(int n, int rounds, int threads) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        double best = 0;
        for (int r = 0; r < rounds; r++) {
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
            Runnable empty = done::countDown;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pool.execute(empty);
            }
            done.await();
            double perSecond = n / ((System.nanoTime() - start) / 1e9);
            best = Math.max(best, perSecond);
            System.err.printf(Locale.ROOT, "round %d: %.0f tasks/s%n", r + 1, perSecond);
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "empty-runnables threads=%d n=%d best=%.0f tasks/s%n", threads, n, best);
    }
}
