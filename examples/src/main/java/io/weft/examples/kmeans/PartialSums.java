package io.weft.examples.kmeans;

/**
 * Per cluster, the sum of the points assigned to it and their number, over one or more fragments.
 *
 * <p>Built by one task and then only read: {@link #sum} makes a new object rather than changing either input.
 * No no-arg constructor, not {@code Serializable}.
 */
public final class PartialSums {
    private final int k;
    private final int dim;
    private final double[] sums;
    private final long[] counts;

    /** Zero sums for {@code k} clusters of dimension {@code dim}. */
    PartialSums(int k, int dim) {
        this.k = k;
        this.dim = dim;
        this.sums = new double[k * dim];
        this.counts = new long[k];
    }

    /** The sums of {@code fragment}'s points, each assigned to its nearest center, in point order. */
    static PartialSums of(Fragment fragment, Centers centers) {
        PartialSums result = new PartialSums(centers.k(), centers.dim());
        for (int i = 0; i < fragment.size(); i++) {
            int c = centers.nearest(fragment, i);
            for (int d = 0; d < result.dim; d++) {
                result.sums[c * result.dim + d] += fragment.get(i, d);
            }
            result.counts[c]++;
        }
        return result;
    }

    /** A new object holding {@code a + b} (in that order, so the floating-point result is fixed). */
    static PartialSums sum(PartialSums a, PartialSums b) {
        PartialSums result = new PartialSums(a.k, a.dim);
        for (int i = 0; i < result.sums.length; i++) {
            result.sums[i] = a.sums[i] + b.sums[i];
        }
        for (int c = 0; c < result.k; c++) {
            result.counts[c] = a.counts[c] + b.counts[c];
        }
        return result;
    }

    /** How many points were assigned to cluster {@code c}. */
    public long count(int c) {
        return counts[c];
    }

    /**
     * The new centers: the mean of each cluster's points, or the {@code previous} center for a cluster that got
     * no point.
     */
    Centers newCenters(Centers previous) {
        double[] coordinates = new double[k * dim];
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < dim; d++) {
                coordinates[c * dim + d] = counts[c] == 0 ? previous.get(c, d) : sums[c * dim + d] / counts[c];
            }
        }
        return new Centers(k, dim, coordinates);
    }
}
