package io.weft.benchmarks.serialization;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A square block of a blocked matrix, as a Weft task passes it around: final fields, no no-arg constructor,
 * not {@link java.io.Serializable}.
 */
public final class MatrixBlock {
  final int n;
  final double[] values;

  public MatrixBlock(int n, double[] values) {
    if (values.length != n * n) {
      throw new IllegalArgumentException("values.length " + values.length + " != " + n + " * " + n);
    }
    this.n = n;
    this.values = values;
  }

  /** An {@code n x n} block of pseudo-random doubles (random bits defeat any compression). */
  public static MatrixBlock random(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n * n];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextDouble();
    }
    return new MatrixBlock(n, values);
  }

  /** The payload bytes: {@code 8 * n * n}. */
  public long payloadBytes() {
    return 8L * values.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatrixBlock other && n == other.n && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * n + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "MatrixBlock[" + n + " x " + n + "]";
  }
}
