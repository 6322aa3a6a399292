package io.weft.benchmarks.taskbench;

/**
 * The deterministic 64-bit hash behind random_nearest's choice of edges, load_imbalance's iteration counts and the
 * digests that make the checksum. SplitMix64's finaliser, so the Dask script ({@code taskbench_dask.py}) computes
 * exactly the same values with Python integers masked to 64 bits: both programs print the same checksum.
 */
final class Hash {
    static final long SEED = 0x5441534b42454e43L; // "TASKBENC"

    private Hash() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Folds {@code value} into {@code hash}; order matters. */
    static long combine(long hash, long value) {
        return mix(hash ^ (value + 0x9e3779b97f4a7c15L + (hash << 6) + (hash >>> 2)));
    }

    /** A number in [0, 1) that depends only on the values, in order. */
    static double uniform(long... values) {
        long h = SEED;
        for (long v : values) {
            h = combine(h, v);
        }
        return (mix(h) >>> 11) * 0x1.0p-53;
    }
}
