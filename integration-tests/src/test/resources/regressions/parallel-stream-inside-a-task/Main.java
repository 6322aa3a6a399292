import io.weft.api.*;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
public class Main {
    @Task static void fill(@InOut double[] arr) {
        IntStream.range(0, arr.length).parallel().forEach(i -> arr[i] = i);
    }
    @Task static double sum(double[] arr) {
        return Arrays.stream(arr).parallel().map(v -> v * 2).sum() + IntStream.range(0, 4).parallel().mapToDouble(i -> arr[i]).sum();
    }
    @Task static void viaExecutor(@InOut long[] counts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            pool.submit(() -> { counts[0] += 5; }).get();
            pool.submit(() -> counts[1] = counts[0] * 2).get();
        } finally {
            pool.shutdown();
        }
    }
    public static void main(String[] a) throws Exception {
        double[] arr = new double[100_000];
        fill(arr);
        System.out.println("last=" + arr[arr.length - 1]);
        System.out.println("sum=" + sum(arr));
        long[] counts = new long[2];
        viaExecutor(counts);
        System.out.println("counts=" + Arrays.toString(counts));
    }
}
