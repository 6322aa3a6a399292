package io.weft.benchmarks;

import io.weft.api.Task;
import java.util.Arrays;
import java.util.Locale;

/**
 * A large object moved from the task that writes it to the task that reads it. Each round, {@link #produce} makes
 * a block of {@code mb} MB of doubles (a {@code double[]} of {@code mb * 125000} elements) and {@link #checksum}
 * reads it and returns its sum, a double, so the call waits for it: rounds do not overlap. Prints each round's
 * time, from the producer's submission to the checksum's return, and checks every checksum.
 *
 * <p>Where the two tasks run is the scheduler's choice. With {@code workers=2,threads=1,scheduler=fifo} equally
 * free workers take turns, so the reader runs on the other worker and fetches the block from the writer's store;
 * with {@code scheduler=locality} it runs where the block is and takes it from the store without a copy.
 * {@code cluster.sh} runs both and compares their placement records ({@link Placements}) to isolate the transfer.
 *
 * <p>Usage: {@code ObjectTransfer [mb=100] [rounds=8]}.
 */
public final class ObjectTransfer {
    private ObjectTransfer() {}

    @Task
    static Block produce(int length, int round) {
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = round + i * 0.5;
        }
        return new Block(values);
    }

    @Task
    static double checksum(Block block) {
        double sum = 0;
        for (double v : block.values) {
            sum += v;
        }
        return sum;
    }

    public static void main(String[] args) {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int length = mb * 125_000;
        double[] millis = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            Block block = produce(length, r);
            double sum = checksum(block);
            millis[r] = (System.nanoTime() - start) / 1e6;
            double expected = expected(length, r);
            if (sum != expected) {
                throw new AssertionError("round " + (r + 1) + ": checksum " + sum + ", expected " + expected);
            }
            System.err.printf(Locale.ROOT, "round %d: %.1f ms%n", r + 1, millis[r]);
        }
        double[] later = Arrays.copyOfRange(millis, Math.min(1, rounds - 1), rounds);
        Arrays.sort(later);
        System.out.printf(Locale.ROOT, "object-transfer mb=%d rounds=%d checksums ok, per round (first dropped):"
                + " best=%.1f ms median=%.1f ms%n", mb, rounds, later[0], later[(later.length - 1) / 2]);
    }

    /** The checksum, computed here in the same order as the task does. */
    private static double expected(int length, int round) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += round + i * 0.5;
        }
        return sum;
    }
}
