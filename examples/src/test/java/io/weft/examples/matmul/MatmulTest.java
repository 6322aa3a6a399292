package io.weft.examples.matmul;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MatmulTest {
    @Test
    void blockedProduct_equalsNaiveProductOfTheWholeMatrices() {
        int blocks = 3;
        int size = 5;
        Block[][] a = Matmul.generate(blocks, size, Matmul.SEED_A);
        Block[][] b = Matmul.generate(blocks, size, Matmul.SEED_B);

        Block[][] c = Matmul.multiply(a, b);

        double[][] expected = naiveProduct(dense(a), dense(b));
        double[][] actual = dense(c);
        // Both sum a[i][k] * b[k][j] over k in ascending order, so they agree to the last bit.
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("row %d", i).containsExactly(expected[i]);
        }
    }

    @Test
    void multiply_doesNotChangeItsInputs() {
        Block[][] a = Matmul.generate(2, 4, Matmul.SEED_A);
        Block[][] b = Matmul.generate(2, 4, Matmul.SEED_B);
        double[][] aBefore = dense(a);
        double[][] bBefore = dense(b);

        Matmul.multiply(a, b);

        assertThat(dense(a)).isDeepEqualTo(aBefore);
        assertThat(dense(b)).isDeepEqualTo(bBefore);
    }

    @Test
    void initBlock_dependsOnlyOnItsSeed_andStaysInMinusOneToOne() {
        double[][] first = dense(new Block[][] {{Matmul.initBlock(7, 6)}});
        double[][] again = dense(new Block[][] {{Matmul.initBlock(7, 6)}});
        double[][] other = dense(new Block[][] {{Matmul.initBlock(8, 6)}});

        assertThat(again).isDeepEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        for (double[] row : first) {
            for (double v : row) {
                assertThat(v).isGreaterThanOrEqualTo(-1.0).isLessThan(1.0);
            }
        }
    }

    @Test
    void main_printsTheFirstElementOfTheNaiveProduct_andTheSameOutputEachRun() {
        int blocks = 2;
        int size = 8;
        double[][] expected = naiveProduct(dense(Matmul.generate(blocks, size, Matmul.SEED_A)),
                dense(Matmul.generate(blocks, size, Matmul.SEED_B)));

        String output = runMain("2", "8");

        assertThat(output).contains(String.format(Locale.ROOT, "C[0][0] = %.6f", expected[0][0]));
        assertThat(output).containsPattern("checksum = -?\\d+\\.\\d{6}");
        assertThat(runMain("2", "8")).isEqualTo(output);
    }

    private static double[][] dense(Block[][] blocks) {
        int size = blocks[0][0].size();
        int n = blocks.length * size;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = blocks[i / size][j / size].get(i % size, j % size);
            }
        }
        return m;
    }

    private static double[][] naiveProduct(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += a[i][k] * b[k][j];
                }
                c[i][j] = sum;
            }
        }
        return c;
    }

    private static String runMain(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Matmul.main(args);
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
