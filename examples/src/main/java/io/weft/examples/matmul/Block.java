package io.weft.examples.matmul;

/**
 * One square block of a matrix, stored row-major in a {@code double[]}.
 *
 * <p>On purpose an ordinary class as users write them: it has no no-arg constructor and is not
 * {@code java.io.Serializable}, and Weft must move and fill it all the same. Not thread-safe; under Weft a block
 * is only touched by the tasks its dependencies allow at a time.
 */
public final class Block {
    private final int size;
    private final double[] values;

    /** A block of {@code size × size} zeros. */
    public Block(int size) {
        this(size, new double[size * size]);
    }

    /** A block wrapping {@code values} (row-major, {@code size × size}), without copying. */
    Block(int size, double[] values) {
        if (size <= 0 || values.length != size * size) {
            throw new IllegalArgumentException("a block of size " + size + " needs " + size * size
                    + " values, got " + values.length);
        }
        this.size = size;
        this.values = values;
    }

    /** The number of rows (and columns). */
    public int size() {
        return size;
    }

    /** The element at row {@code row}, column {@code column}. */
    public double get(int row, int column) {
        return values[row * size + column];
    }

    /**
     * Adds {@code a × b} to this block. A plain i-k-j triple loop over the arrays: the innermost loop walks
     * rows of {@code b} and of this block contiguously.
     */
    void addProduct(Block a, Block b) {
        int n = size;
        double[] c = values;
        double[] av = a.values;
        double[] bv = b.values;
        for (int i = 0; i < n; i++) {
            int rowC = i * n;
            for (int k = 0; k < n; k++) {
                double aik = av[rowC + k];
                int rowB = k * n;
                for (int j = 0; j < n; j++) {
                    c[rowC + j] += aik * bv[rowB + j];
                }
            }
        }
    }

    /** The sum of all elements, in row-major order. */
    public double sum() {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }
}
