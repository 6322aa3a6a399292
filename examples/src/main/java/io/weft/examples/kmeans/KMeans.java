package io.weft.examples.kmeans;

import io.weft.api.Task;
import java.util.Locale;

/**
 * Demonstrates iterative map and reduce with returned objects: {@link #generateFragment} tasks create the data,
 * then each iteration runs one {@link #partialSum} task per fragment and combines their results with
 * {@link #merge} tasks in a fixed pairwise tree (by fragment index, never in completion order), so the
 * floating-point result is the same whatever order the tasks run in. The main program turns the total into the
 * new centers, which the next iteration's tasks read.
 *
 * <p>The points are drawn by a linear congruential generator around {@value #BLOBS} fixed blobs near the
 * corners of a square; the initial centers are the first {@code k} points of fragment 0.
 *
 * <p>Usage: {@code KMeans [fragments=4] [pointsPerFragment=2000] [k=4] [iterations=5] [dim=2]}. Prints the final
 * centers with six decimals and the number of points nearest to each.
 */
public final class KMeans {
    /** The number of blobs the generated points are scattered around. */
    static final int BLOBS = 4;

    private KMeans() {}

    /** The task that makes fragment number {@code seed}: {@code n} points of dimension {@code dim}. */
    @Task
    static Fragment generateFragment(int seed, int n, int dim) {
        // The same blobs for every fragment: near the corners of the square [2.5, 7.5]² (repeated in higher
        // dimensions), each moved by up to ±0.5 per coordinate by a generator with a fixed seed.
        double[] blobs = new double[BLOBS * dim];
        long state = 42;
        for (int b = 0; b < BLOBS; b++) {
            for (int d = 0; d < dim; d++) {
                state = next(state);
                blobs[b * dim + d] = 2.5 + 5 * ((b >> (d % 2)) & 1) + unit(state) - 0.5;
            }
        }
        double[] coordinates = new double[n * dim];
        state = 0x2545F4914F6CDD1DL * (seed + 1L);
        for (int i = 0; i < n; i++) {
            state = next(state);
            int blob = (int) (unit(state) * BLOBS);
            for (int d = 0; d < dim; d++) {
                // The sum of three uniforms, centerd: a cheap bell-shaped offset in (-1.5, 1.5).
                double offset = -1.5;
                for (int r = 0; r < 3; r++) {
                    state = next(state);
                    offset += unit(state);
                }
                coordinates[i * dim + d] = blobs[blob * dim + d] + offset;
            }
        }
        return new Fragment(dim, coordinates);
    }

    /** The task that sums the points of {@code fragment} per nearest center of {@code centers}. */
    @Task
    static PartialSums partialSum(Fragment fragment, Centers centers) {
        return PartialSums.of(fragment, centers);
    }

    /** The task that adds two partial sums into a new object. */
    @Task
    static PartialSums merge(PartialSums a, PartialSums b) {
        return PartialSums.sum(a, b);
    }

    /** {@code fragments} fragments of {@code n} points each, fragment {@code f} made from seed {@code f}. */
    static Fragment[] generate(int fragments, int n, int dim) {
        Fragment[] data = new Fragment[fragments];
        for (int f = 0; f < fragments; f++) {
            data[f] = generateFragment(f, n, dim);
        }
        return data;
    }

    /** The first {@code k} points of {@code first} as centers. */
    static Centers initialCenters(Fragment first, int k) {
        if (first.size() < k) {
            throw new IllegalArgumentException("fragment 0 has " + first.size() + " points, fewer than k = " + k);
        }
        double[] coordinates = new double[k * first.dim()];
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < first.dim(); d++) {
                coordinates[c * first.dim() + d] = first.get(c, d);
            }
        }
        return new Centers(k, first.dim(), coordinates);
    }

    /**
     * The sums over all fragments for {@code centers}: one {@link #partialSum} per fragment, then {@link #merge}
     * pairing neighbours level by level.
     */
    static PartialSums assign(Fragment[] fragments, Centers centers) {
        PartialSums[] level = new PartialSums[fragments.length];
        for (int f = 0; f < fragments.length; f++) {
            level[f] = partialSum(fragments[f], centers);
        }
        while (level.length > 1) {
            PartialSums[] next = new PartialSums[(level.length + 1) / 2];
            for (int i = 0; i + 1 < level.length; i += 2) {
                next[i / 2] = merge(level[i], level[i + 1]);
            }
            if (level.length % 2 == 1) {
                next[next.length - 1] = level[level.length - 1];
            }
            level = next;
        }
        return level[0];
    }

    /** {@code iterations} steps of Lloyd's algorithm from {@code initial}; returns the last centers. */
    static Centers run(Fragment[] fragments, Centers initial, int iterations) {
        Centers centers = initial;
        for (int it = 0; it < iterations; it++) {
            centers = assign(fragments, centers).newCenters(centers);
        }
        return centers;
    }

    public static void main(String[] args) {
        int fragments = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int points = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int dim = args.length > 4 ? Integer.parseInt(args[4]) : 2;

        Fragment[] data = generate(fragments, points, dim);
        Centers centers = run(data, initialCenters(data[0], k), iterations);
        PartialSums last = assign(data, centers);

        System.out.println(String.format(Locale.ROOT,
                "kmeans: %d fragments x %d points, dim %d, k %d, %d iterations", fragments, points, dim, k, iterations));
        for (int c = 0; c < k; c++) {
            System.out.println(String.format(Locale.ROOT, "center %d: %s  points %d", c, centers.format(c),
                    last.count(c)));
        }
    }

    private static long next(long state) {
        return state * 6364136223846793005L + 1442695040888963407L;
    }

    private static double unit(long state) {
        return (state >>> 11) * 0x1.0p-53;
    }
}
