package io.weft.benchmarks;

import io.weft.api.InOut;
import io.weft.api.Task;
import io.weft.api.Weft;
import java.util.Locale;

/**
 * Blocked (tiled, right-looking) Cholesky factorisation {@code A = L·Lᵀ} of a symmetric positive definite matrix
 * of {@code tiles × tiles} tiles of {@code size × size} doubles, as a Weft task program. Only the lower triangle of
 * tiles is kept; step {@code k} factors the diagonal tile ({@link #potrf}), solves the panel below it
 * ({@link #trsm}), then updates the trailing tiles ({@link #syrk} on the diagonal, {@link #gemm} below it). Each
 * kernel updates its last argument in place ({@code @InOut}) and only reads the others.
 *
 * <p>Every tile is made by a task ({@link #generate}) from a formula of its global indices, so with worker
 * processes the matrix is born where it is first used rather than shipped from the master. The generation is
 * {@code O(n²)} against the factorisation's {@code O(n³)}.
 *
 * <p>Each tile's updates run in program order and each kernel is plain sequential code, so the factor is the same
 * bit for bit without the agent, with it, and with {@code workers=N}: the printed checksum line is identical.
 * With the defaults (16 × 16 tiles of 256 × 256) there are 816 factorisation tasks plus 136 generation tasks, and
 * each tile is 512 KB.
 *
 * <p>Usage: {@code Cholesky [tiles=16] [size=256]}. Prints one line with the dimensions and checksums of the
 * lower triangle of {@code L}; the whole program's time goes to standard error.
 */
public final class Cholesky {
    private Cholesky() {}

    /** One square tile, row-major. A class (not a bare array) so that a task returning it gives a placeholder. */
    static final class Tile {
        final int size;
        final double[] v;

        Tile(int size, double[] v) {
            this.size = size;
            this.v = v;
        }
    }

    /**
     * The element {@code (i, j)} of the whole matrix, {@code n × n}: a symmetric value in [-1, 1) off the diagonal
     * from a hash of the unordered pair, and {@code n} on the diagonal, which makes the matrix strictly diagonally
     * dominant and therefore positive definite.
     */
    static double element(int i, int j, int n) {
        if (i == j) {
            return n;
        }
        long lo = Math.min(i, j);
        long hi = Math.max(i, j);
        return (mix(lo * n + hi) >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
    }

    /** SplitMix64's finaliser: spreads neighbouring keys over all 64 bits. */
    private static long mix(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The task that makes tile {@code (ti, tj)} of the matrix of {@code tiles × tiles} tiles. */
    @Task
    static Tile generate(int ti, int tj, int tiles, int size) {
        int n = tiles * size;
        double[] v = new double[size * size];
        for (int r = 0; r < size; r++) {
            int i = ti * size + r;
            for (int c = 0; c < size; c++) {
                v[r * size + c] = element(i, tj * size + c, n);
            }
        }
        return new Tile(size, v);
    }

    /**
     * Factors a diagonal tile in place: its lower triangle becomes {@code L_kk}, its upper triangle zeros. Reads only
     * the lower triangle (syrk updates only that). Row by row (Cholesky–Banachiewicz): each element is a dot product
     * of two rows already computed.
     */
    @Task
    static void potrf(@InOut Tile akk) {
        int b = akk.size;
        double[] a = akk.v;
        for (int i = 0; i < b; i++) {
            int ri = i * b;
            for (int j = 0; j <= i; j++) {
                int rj = j * b;
                double s = a[ri + j];
                for (int p = 0; p < j; p++) {
                    s -= a[ri + p] * a[rj + p];
                }
                a[ri + j] = i == j ? Math.sqrt(s) : s / a[rj + j];
            }
            for (int j = i + 1; j < b; j++) {
                a[ri + j] = 0;
            }
        }
    }

    /**
     * Solves {@code X · L_kkᵀ = A_ik} in place of {@code aik}. Row by row of {@code X}, forward substitution as
     * updates of the rest of the row by a row of {@code L_kkᵀ}, so the inner loop runs along both rows.
     */
    @Task
    static void trsm(Tile lkk, @InOut Tile aik) {
        int b = aik.size;
        double[] lt = transpose(lkk.v, b);
        double[] x = aik.v;
        for (int r = 0; r < b; r++) {
            int rr = r * b;
            for (int c = 0; c < b; c++) {
                int rc = c * b;
                double xc = x[rr + c] / lt[rc + c];
                x[rr + c] = xc;
                for (int q = c + 1; q < b; q++) {
                    x[rr + q] -= xc * lt[rc + q];
                }
            }
        }
    }

    /** {@code A_ii -= A_ik · A_ikᵀ}, on the lower triangle of the diagonal tile only. */
    @Task
    static void syrk(Tile aik, @InOut Tile aii) {
        int b = aii.size;
        double[] at = transpose(aik.v, b);
        double[] a = aik.v;
        double[] c = aii.v;
        for (int r = 0; r < b; r++) {
            int rr = r * b;
            for (int p = 0; p < b; p++) {
                double arp = a[rr + p];
                int rp = p * b;
                for (int q = 0; q <= r; q++) {
                    c[rr + q] -= arp * at[rp + q];
                }
            }
        }
    }

    /** {@code A_ij -= A_ik · A_jkᵀ}: the i-k-j loop on {@code A_jkᵀ}, so the inner loop runs along rows. */
    @Task
    static void gemm(Tile aik, Tile ajk, @InOut Tile aij) {
        int b = aij.size;
        double[] bt = transpose(ajk.v, b);
        double[] a = aik.v;
        double[] c = aij.v;
        for (int r = 0; r < b; r++) {
            int rr = r * b;
            for (int p = 0; p < b; p++) {
                double arp = a[rr + p];
                int rp = p * b;
                for (int q = 0; q < b; q++) {
                    c[rr + q] -= arp * bt[rp + q];
                }
            }
        }
    }

    private static double[] transpose(double[] m, int b) {
        double[] t = new double[b * b];
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < b; c++) {
                t[c * b + r] = m[r * b + c];
            }
        }
        return t;
    }

    /** The lower triangle of tiles ({@code a[i][j]}, {@code j <= i}) of the matrix, each made by a task. */
    static Tile[][] matrix(int tiles, int size) {
        Tile[][] a = new Tile[tiles][];
        for (int i = 0; i < tiles; i++) {
            a[i] = new Tile[i + 1];
            for (int j = 0; j <= i; j++) {
                a[i][j] = generate(i, j, tiles, size);
            }
        }
        return a;
    }

    /** Factors {@code a} (as {@link #matrix} lays it out) in place: afterwards its tiles hold {@code L}. */
    static void factor(Tile[][] a) {
        int tiles = a.length;
        for (int k = 0; k < tiles; k++) {
            potrf(a[k][k]);
            for (int i = k + 1; i < tiles; i++) {
                trsm(a[k][k], a[i][k]);
            }
            for (int i = k + 1; i < tiles; i++) {
                syrk(a[i][k], a[i][i]);
                for (int j = k + 1; j < i; j++) {
                    gemm(a[i][k], a[j][k], a[i][j]);
                }
            }
        }
    }

    /**
     * Two sums over the lower triangle of {@code L}, tile by tile in row-major order: of the elements, and of the
     * elements weighted by their position (which a permutation of tiles or rows would change).
     */
    static double[] checksum(Tile[][] l) {
        double sum = 0;
        double weighted = 0;
        int tiles = l.length;
        for (int i = 0; i < tiles; i++) {
            for (int j = 0; j <= i; j++) {
                Tile t = l[i][j];
                int b = t.size;
                double[] v = t.v;
                for (int r = 0; r < b; r++) {
                    int cols = i == j ? r + 1 : b;
                    for (int c = 0; c < cols; c++) {
                        double x = v[r * b + c];
                        sum += x;
                        weighted += x * ((i * b + r) % 7 + (j * b + c) % 5 + 1);
                    }
                }
            }
        }
        return new double[] {sum, weighted};
    }

    static String line(int tiles, int size, double[] checksum) {
        return String.format(Locale.ROOT, "cholesky %d x %d tiles of %d x %d (n = %d): sum(L) = %.9e,"
                + " weighted = %.9e", tiles, tiles, size, size, tiles * size, checksum[0], checksum[1]);
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        int tiles = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Tile[][] a = matrix(tiles, size);
        factor(a);
        Weft.barrier(); // the checksum then reads tiles with no task pending (without the agent: nothing to wait for)
        long factored = System.nanoTime();
        System.out.println(line(tiles, size, checksum(a)));
        long end = System.nanoTime();
        System.err.println(String.format(Locale.ROOT, "cholesky: %.1f ms (factored in %.1f ms, checksum %.1f ms)",
                (end - start) / 1e6, (factored - start) / 1e6, (end - factored) / 1e6));
    }
}
