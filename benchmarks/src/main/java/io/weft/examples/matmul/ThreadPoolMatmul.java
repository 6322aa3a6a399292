package io.weft.examples.matmul;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The hardware's ceiling for the matmul benchmark: the same blocks and kernel as {@link Matmul}, parallelised by
 * hand with a fixed thread pool (one job per block of C, its k-loop inside), run without the agent. Weft's
 * speed-up is judged against the sequential program; this shows how much of it two cores can give at all.
 *
 * <p>Usage: {@code ThreadPoolMatmul [blocks=8] [size=128] [threads=cores]}.
 */
public final class ThreadPoolMatmul {
    private ThreadPoolMatmul() {}

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Block[][] a = Matmul.generate(blocks, size, Matmul.SEED_A);
            Block[][] b = Matmul.generate(blocks, size, Matmul.SEED_B);
            Block[][] c = new Block[blocks][blocks];
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                for (int j = 0; j < blocks; j++) {
                    Block cij = new Block(size);
                    c[i][j] = cij;
                    int row = i;
                    int col = j;
                    jobs.add(pool.submit(() -> {
                        for (int k = 0; k < blocks; k++) {
                            Matmul.multiplyAccumulate(cij, a[row][k], b[k][col]);
                        }
                    }));
                }
            }
            for (Future<?> f : jobs) {
                f.get();
            }
            System.out.println(String.format(Locale.ROOT, "checksum = %.6f", Matmul.checksum(c)));
        } finally {
            pool.shutdown();
        }
        System.err.println(String.format(Locale.ROOT, "matmul: %.1f ms", (System.nanoTime() - start) / 1e6));
    }
}
