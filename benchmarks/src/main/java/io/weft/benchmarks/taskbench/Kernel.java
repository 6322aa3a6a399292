package io.weft.benchmarks.taskbench;

import java.util.Locale;

/**
 * What each task computes, as Task Bench's kernels (written anew, counting the same FLOPs and bytes):
 *
 * <ul>
 *   <li>{@code empty}: nothing;
 *   <li>{@code compute_bound}: {@code iterations} rounds of {@code a[i] = a[i] * a[i] + a[i]} over 64 doubles,
 *       then their product: 2 × 64 × iterations + 64 FLOPs;
 *   <li>{@code memory_bound}: {@code iterations} copies of one of {@code samples} slices of a scratch buffer of
 *       {@code scratchBytes} (each copy moves half a slice onto the other half); scratchBytes × iterations ÷ samples
 *       bytes. The buffer is one per executor thread (Task Bench keeps one per point), filled once;
 *   <li>{@code load_imbalance}: compute_bound with round((1 + (u - 0.5) × imbalance) × iterations) iterations,
 *       u a deterministic hash of (step, point) in [0, 1).
 * </ul>
 *
 * <p>Immutable; {@link #execute} is thread-safe.
 */
public final class Kernel {
    /** The kernel types, by Task Bench's names. */
    public enum Type {
        EMPTY, COMPUTE_BOUND, MEMORY_BOUND, LOAD_IMBALANCE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type of(String label) {
            for (Type t : values()) {
                if (t.label().equals(label)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown kernel '" + label
                    + "'; accepted: empty, compute_bound, memory_bound, load_imbalance");
        }
    }

    private static final ThreadLocal<long[]> SCRATCH = new ThreadLocal<>();

    private final Type type;
    private final long iterations;
    private final double imbalance;
    private final int scratchBytes;
    private final int samples;

    public Kernel(Type type, long iterations, double imbalance, int scratchBytes, int samples) {
        if (iterations < 0 || imbalance < 0 || imbalance > 2) {
            throw new IllegalArgumentException("iterations must be >= 0 and imbalance within [0, 2] (got "
                    + iterations + ", " + imbalance + ")");
        }
        if (type == Type.MEMORY_BOUND && (samples < 1 || scratchBytes < 16 * samples)) {
            throw new IllegalArgumentException("memory_bound needs samples >= 1 and a scratch of at least 16 bytes"
                    + " per sample (got -scratch " + scratchBytes + " -sample " + samples + ")");
        }
        this.type = type;
        this.iterations = iterations;
        this.imbalance = imbalance;
        this.scratchBytes = scratchBytes;
        this.samples = samples;
    }

    public Type type() { return type; }
    public long iterations() { return iterations; }
    public double imbalance() { return imbalance; }
    public int scratchBytes() { return scratchBytes; }
    public int samples() { return samples; }

    /** The same kernel with another iteration count (the METG sweep's knob). */
    public Kernel withIterations(long n) {
        return new Kernel(type, n, imbalance, scratchBytes, samples);
    }

    /** The iterations the task at (t, p) runs. */
    long iterationsAt(int t, int p) {
        if (type != Type.LOAD_IMBALANCE) {
            return iterations;
        }
        double u = Hash.uniform(t, p);
        return (long) Math.floor((1 + (u - 0.5) * imbalance) * iterations + 0.5);
    }

    /** FLOPs of the task at (t, p), counted as Task Bench counts them. */
    public long flops(int t, int p) {
        switch (type) {
            case COMPUTE_BOUND:
            case LOAD_IMBALANCE:
                return 2 * 64 * iterationsAt(t, p) + 64;
            default:
                return 0;
        }
    }

    /** Bytes the task at (t, p) moves, counted as Task Bench counts them. */
    public long bytes(int t, int p) {
        return type == Type.MEMORY_BOUND ? (long) scratchBytes * iterations / samples : 0;
    }

    /** Runs the kernel of the task at (t, p); the result only keeps the JIT from removing the work. */
    public double execute(int t, int p) {
        switch (type) {
            case EMPTY:
                return 0;
            case COMPUTE_BOUND:
            case LOAD_IMBALANCE:
                return compute(iterationsAt(t, p));
            case MEMORY_BOUND:
                return memory(t);
            default:
                throw new AssertionError(type);
        }
    }

    static double compute(long iterations) {
        double[] a = new double[64];
        java.util.Arrays.fill(a, 1.2345);
        for (long n = 0; n < iterations; n++) {
            for (int i = 0; i < 64; i++) {
                a[i] = a[i] * a[i] + a[i];
            }
        }
        double product = 1;
        for (int i = 0; i < 64; i++) {
            product *= a[i];
        }
        return product;
    }

    private double memory(int t) {
        long[] scratch = SCRATCH.get();
        int words = scratchBytes / 8;
        if (scratch == null || scratch.length != words) {
            scratch = new long[words];
            java.util.Arrays.fill(scratch, 0x5C4A7C8BL);
            SCRATCH.set(scratch);
        }
        int sampleWords = words / samples;
        int half = sampleWords / 2;
        for (long n = 0; n < iterations; n++) {
            int sample = (int) (((long) t * iterations + n) % samples);
            int base = sample * sampleWords;
            System.arraycopy(scratch, base, scratch, base + half, half);
        }
        return scratch[t % Math.max(1, words)];
    }

    public String describe() {
        StringBuilder s = new StringBuilder("-kernel ").append(type.label()).append(" -iter ").append(iterations);
        if (type == Type.LOAD_IMBALANCE) {
            s.append(" -imbalance ").append(imbalance);
        }
        if (type == Type.MEMORY_BOUND) {
            s.append(" -scratch ").append(scratchBytes).append(" -sample ").append(samples);
        }
        return s.toString();
    }
}
