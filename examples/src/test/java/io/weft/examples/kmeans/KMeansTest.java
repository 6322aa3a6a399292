package io.weft.examples.kmeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KMeansTest {
    private static final int K = 4;
    private static final int DIM = 2;

    @Test
    void afterConvergence_eachCenterIsTheMeanOfThePointsNearestToIt() {
        Fragment[] data = KMeans.generate(3, 500, DIM);

        Centers centers = KMeans.run(data, KMeans.initialCenters(data[0], K), 50);

        double[][] sums = new double[K][DIM];
        long[] counts = new long[K];
        for (Fragment fragment : data) {
            for (int i = 0; i < fragment.size(); i++) {
                int nearest = nearest(centers, fragment, i);
                counts[nearest]++;
                for (int d = 0; d < DIM; d++) {
                    sums[nearest][d] += fragment.get(i, d);
                }
            }
        }
        for (int c = 0; c < K; c++) {
            assertThat(counts[c]).as("points nearest to center %d", c).isPositive();
            for (int d = 0; d < DIM; d++) {
                assertThat(centers.get(c, d)).as("center %d, coordinate %d", c, d)
                        .isCloseTo(sums[c][d] / counts[c], within(1e-9));
            }
        }
    }

    @Test
    void eachIteration_doesNotIncreaseTheSumOfSquaredDistances() {
        Fragment[] data = KMeans.generate(4, 300, DIM);
        Centers centers = KMeans.initialCenters(data[0], K);

        double previous = cost(data, centers);
        for (int it = 0; it < 6; it++) {
            centers = KMeans.run(data, centers, 1);
            double current = cost(data, centers);
            assertThat(current).as("cost after iteration %d", it + 1).isLessThanOrEqualTo(previous + 1e-9);
            previous = current;
        }
    }

    @Test
    void partialSums_countEveryPointOnce() {
        Fragment[] data = KMeans.generate(5, 123, DIM);

        PartialSums total = KMeans.assign(data, KMeans.initialCenters(data[0], K));

        long counted = 0;
        for (int c = 0; c < K; c++) {
            counted += total.count(c);
        }
        assertThat(counted).isEqualTo(5 * 123);
    }

    @Test
    void main_printsOneLinePerCenter_andTheSameOutputEachRun() {
        String output = runMain("2", "400", "3", "4");

        assertThat(output.lines()).hasSize(1 + 3);
        assertThat(output.lines().skip(1))
                .allMatch(line -> line.matches("center \\d: \\(-?\\d+\\.\\d{6}, -?\\d+\\.\\d{6}\\)  points \\d+"));
        assertThat(runMain("2", "400", "3", "4")).isEqualTo(output);
    }

    private static int nearest(Centers centers, Fragment fragment, int i) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < centers.k(); c++) {
            double distance = 0;
            for (int d = 0; d < fragment.dim(); d++) {
                distance += Math.pow(fragment.get(i, d) - centers.get(c, d), 2);
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        return best;
    }

    private static double cost(Fragment[] data, Centers centers) {
        double cost = 0;
        for (Fragment fragment : data) {
            for (int i = 0; i < fragment.size(); i++) {
                int c = nearest(centers, fragment, i);
                for (int d = 0; d < fragment.dim(); d++) {
                    cost += Math.pow(fragment.get(i, d) - centers.get(c, d), 2);
                }
            }
        }
        return cost;
    }

    private static String runMain(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            KMeans.main(args);
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
