package io.weft.examples.heterogeneous;

/** A block of samples that kernels digest. Never changed once made. */
public final class Signal {
    final long[] samples;

    Signal(int seed, int length) {
        samples = new long[length];
        long x = seed * 2654435761L + 1;
        for (int i = 0; i < length; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            samples[i] = (x >>> 33) % 1000;
        }
    }
}
