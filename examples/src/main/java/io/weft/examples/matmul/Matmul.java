package io.weft.examples.matmul;

import io.weft.api.InOut;
import io.weft.api.Task;
import java.util.Locale;

/**
 * Demonstrates tasks on objects: {@link #initBlock(int, int)} <em>returns</em> a new {@link Block} (the main
 * program gets a placeholder at once and may use it like any object), and
 * {@link #multiplyAccumulate(Block, Block, Block)} updates its first argument in place ({@code @InOut}) while
 * only reading the other two.
 *
 * <p>{@code C = A × B} on matrices of {@code blocks × blocks} blocks of {@code size × size} doubles. The
 * {@code blocks²} blocks of {@code C} are independent; the {@code blocks} updates of one block of {@code C} run
 * in program order, so the result is the same, bit for bit, whatever order the tasks run in.
 *
 * <p>Usage: {@code Matmul [blocks=4] [size=32]}. Prints the dimensions, the sum of all elements of {@code C} and
 * its first element; the elapsed time goes to standard error.
 */
public final class Matmul {
    /** Seeds of the blocks of A and B are taken from disjoint ranges so the two matrices differ. */
    static final int SEED_A = 1;
    static final int SEED_B = 1_000_003;

    private Matmul() {}

    /**
     * The task that creates a block: {@code size × size} values in [-1, 1) from a linear congruential generator
     * started at {@code seed}, so a block depends on its seed only.
     */
    @Task
    static Block initBlock(int seed, int size) {
        double[] values = new double[size * size];
        long state = scramble(seed);
        for (int i = 0; i < values.length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            values[i] = (state >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
        }
        return new Block(size, values);
    }

    /** The task that adds {@code a × b} to {@code c}; {@code a} and {@code b} are only read. */
    @Task
    static void multiplyAccumulate(@InOut Block c, Block a, Block b) {
        c.addProduct(a, b);
    }

    /** A matrix of {@code blocks × blocks} blocks made by {@link #initBlock} with seeds from {@code firstSeed}. */
    static Block[][] generate(int blocks, int size, int firstSeed) {
        Block[][] matrix = new Block[blocks][blocks];
        for (int i = 0; i < blocks; i++) {
            for (int j = 0; j < blocks; j++) {
                matrix[i][j] = initBlock(firstSeed + i * blocks + j, size);
            }
        }
        return matrix;
    }

    /** {@code a × b} as a new blocked matrix; each block of the result is the sum over {@code k} in order. */
    static Block[][] multiply(Block[][] a, Block[][] b) {
        int blocks = a.length;
        int size = a[0][0].size();
        Block[][] c = new Block[blocks][blocks];
        for (int i = 0; i < blocks; i++) {
            for (int j = 0; j < blocks; j++) {
                c[i][j] = new Block(size);
            }
        }
        for (int i = 0; i < blocks; i++) {
            for (int j = 0; j < blocks; j++) {
                for (int k = 0; k < blocks; k++) {
                    multiplyAccumulate(c[i][j], a[i][k], b[k][j]);
                }
            }
        }
        return c;
    }

    /** The sum of every element of {@code matrix}, block by block in row-major order. */
    static double checksum(Block[][] matrix) {
        double total = 0;
        for (Block[] row : matrix) {
            for (Block block : row) {
                total += block.sum();
            }
        }
        return total;
    }

    public static void main(String[] args) {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        long start = System.nanoTime();

        Block[][] a = generate(blocks, size, SEED_A);
        Block[][] b = generate(blocks, size, SEED_B);
        Block[][] c = multiply(a, b);

        double checksum = checksum(c);
        System.out.println(String.format(Locale.ROOT, "matmul %d x %d blocks of %d x %d (n = %d)",
                blocks, blocks, size, size, blocks * size));
        System.out.println(String.format(Locale.ROOT, "checksum = %.6f", checksum));
        System.out.println(String.format(Locale.ROOT, "C[0][0] = %.6f", c[0][0].get(0, 0)));
        System.err.println(String.format(Locale.ROOT, "matmul: %.1f ms", (System.nanoTime() - start) / 1e6));
    }

    /** Spreads a small seed over all 64 bits (the SplitMix64 finaliser), so neighbouring seeds look unrelated. */
    private static long scramble(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
