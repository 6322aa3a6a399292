package io.weft.examples.kmeans;

/**
 * A slice of the data set: {@code size} points of dimension {@code dim}, stored row-major in a {@code double[]}.
 *
 * <p>Never changed once made. No no-arg constructor, not {@code Serializable}.
 */
public final class Fragment {
    private final int dim;
    private final double[] coordinates;

    /** A fragment over {@code coordinates} (row-major, a multiple of {@code dim} long), without copying. */
    Fragment(int dim, double[] coordinates) {
        if (dim <= 0 || coordinates.length % dim != 0) {
            throw new IllegalArgumentException(coordinates.length + " coordinates do not make points of dimension "
                    + dim);
        }
        this.dim = dim;
        this.coordinates = coordinates;
    }

    /** The number of points. */
    public int size() {
        return coordinates.length / dim;
    }

    /** The dimension of the points. */
    public int dim() {
        return dim;
    }

    /** Coordinate {@code d} of point {@code i}. */
    public double get(int i, int d) {
        return coordinates[i * dim + d];
    }
}
