package io.weft.benchmarks.taskbench;

/**
 * The output of one task: the datum its successors read. Like Task Bench's output buffer, {@code words} holds the
 * task's (step, point) pair repeated over {@code -output} bytes, which each successor checks. {@code digest} folds
 * (step, point) with the digests of the task's inputs, in order, so the final checksum depends on every edge of the
 * graph.
 */
public final class PointOutput {
    final long[] words;
    final long digest;
    final double sink;

    PointOutput(int t, int p, int outputBytes, long digest, double sink) {
        this.words = new long[Math.max(2, outputBytes / 8 & ~1)];
        for (int i = 0; i < words.length; i += 2) {
            words[i] = t;
            words[i + 1] = p;
        }
        this.digest = digest;
        this.sink = sink;
    }

    long digest() {
        return digest;
    }
}
