package io.weft.examples.kmeans;

import java.util.Locale;

/**
 * The {@code k} cluster centers of one iteration, each of dimension {@code dim}.
 *
 * <p>Never changed once made: each iteration makes a new one. No no-arg constructor, not {@code Serializable}.
 */
public final class Centers {
    private final int k;
    private final int dim;
    private final double[] coordinates;

    /** Centers over {@code coordinates} ({@code k × dim}, row-major), without copying. */
    Centers(int k, int dim, double[] coordinates) {
        if (k <= 0 || dim <= 0 || coordinates.length != k * dim) {
            throw new IllegalArgumentException(k + " centers of dimension " + dim + " need " + k * dim
                    + " coordinates, got " + coordinates.length);
        }
        this.k = k;
        this.dim = dim;
        this.coordinates = coordinates;
    }

    /** The number of centers. */
    public int k() {
        return k;
    }

    /** The dimension of the centers. */
    public int dim() {
        return dim;
    }

    /** Coordinate {@code d} of center {@code c}. */
    public double get(int c, int d) {
        return coordinates[c * dim + d];
    }

    /**
     * The index of the center nearest to point {@code i} of {@code fragment} (squared Euclidean distance; on a tie,
     * the lowest index).
     */
    public int nearest(Fragment fragment, int i) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double distance = 0;
            for (int d = 0; d < dim; d++) {
                double delta = fragment.get(i, d) - coordinates[c * dim + d];
                distance += delta * delta;
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        return best;
    }

    /** Center {@code c} as {@code (x, y, …)} with six decimals. */
    public String format(int c) {
        StringBuilder text = new StringBuilder("(");
        for (int d = 0; d < dim; d++) {
            text.append(d == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", get(c, d)));
        }
        return text.append(')').toString();
    }
}
