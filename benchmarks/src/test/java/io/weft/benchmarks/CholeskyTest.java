package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.weft.benchmarks.Cholesky.Tile;
import org.junit.jupiter.api.Test;

/** The tiled factorisation, run sequentially (no agent), against a plain unblocked Cholesky of the same matrix. */
class CholeskyTest {
    @Test
    void tiledFactor_equalsUnblockedCholesky_4x4TilesOf8() {
        assertMatchesUnblocked(4, 8);
    }

    @Test
    void tiledFactor_equalsUnblockedCholesky_oddSizes() {
        assertMatchesUnblocked(3, 5);
        assertMatchesUnblocked(1, 7);
    }

    @Test
    void factorTimesItsTranspose_isTheMatrix() {
        int tiles = 3;
        int size = 6;
        int n = tiles * size;
        double[][] l = dense(factored(tiles, size), size);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p <= j; p++) {
                    s += l[i][p] * l[j][p];
                }
                assertThat(s).as("(L Lt)[%d][%d]", i, j).isCloseTo(Cholesky.element(i, j, n), within(1e-12 * n));
            }
        }
    }

    @Test
    void matrix_isSymmetric_andStrictlyDiagonallyDominant() {
        int n = 40;
        for (int i = 0; i < n; i++) {
            double off = 0;
            for (int j = 0; j < n; j++) {
                assertThat(Cholesky.element(i, j, n)).isEqualTo(Cholesky.element(j, i, n));
                if (j != i) {
                    off += Math.abs(Cholesky.element(i, j, n));
                }
            }
            assertThat(Cholesky.element(i, i, n)).isGreaterThan(off);
        }
    }

    @Test
    void checksumLine_isTheSameEachRun() {
        String first = Cholesky.line(4, 8, Cholesky.checksum(factored(4, 8)));
        String again = Cholesky.line(4, 8, Cholesky.checksum(factored(4, 8)));
        assertThat(again).isEqualTo(first);
        assertThat(first).matches("cholesky 4 x 4 tiles of 8 x 8 \\(n = 32\\): sum\\(L\\) = .*, weighted = .*");
    }

    private static void assertMatchesUnblocked(int tiles, int size) {
        int n = tiles * size;
        Tile[][] a = factored(tiles, size);
        double[][] expected = unblocked(n);
        double[][] actual = dense(a, size);
        // Different summation orders: equal to rounding, not to the bit.
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertThat(actual[i][j]).as("L[%d][%d]", i, j).isCloseTo(expected[i][j], within(1e-12 * Math.sqrt(n)));
            }
        }
        double[] sums = Cholesky.checksum(a);
        double[] expectedSums = checksum(expected);
        assertThat(sums[0]).isCloseTo(expectedSums[0], within(1e-11 * n * n));
        assertThat(sums[1]).isCloseTo(expectedSums[1], within(1e-10 * n * n));
    }

    private static Tile[][] factored(int tiles, int size) {
        Tile[][] a = Cholesky.matrix(tiles, size);
        Cholesky.factor(a);
        return a;
    }

    /** The textbook Cholesky–Banachiewicz on the whole matrix: L[i][j] from the rows of L above it. */
    private static double[][] unblocked(int n) {
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = Cholesky.element(i, j, n);
                for (int p = 0; p < j; p++) {
                    s -= l[i][p] * l[j][p];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        return l;
    }

    /** The tiles as one dense matrix, zeros above the diagonal. */
    private static double[][] dense(Tile[][] a, int size) {
        int n = a.length * size;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                m[i][j] = a[i / size][j / size].v[(i % size) * size + j % size];
            }
        }
        return m;
    }

    /** The same two sums as {@link Cholesky#checksum}, over a dense lower triangle. */
    private static double[] checksum(double[][] l) {
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < l.length; i++) {
            for (int j = 0; j <= i; j++) {
                sum += l[i][j];
                weighted += l[i][j] * (i % 7 + j % 5 + 1);
            }
        }
        return new double[] {sum, weighted};
    }
}
