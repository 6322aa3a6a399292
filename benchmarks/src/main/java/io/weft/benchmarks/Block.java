package io.weft.benchmarks;

/**
 * A block of doubles, the datum of the object-transfer benchmark. A class rather than a bare {@code double[]} so
 * that a task returning it gives the caller a placeholder at once (an array result would be returned synchronously,
 * which would bring it to the master).
 */
final class Block {
    double[] values;

    Block(double[] values) {
        this.values = values;
    }
}
