import io.weft.api.*;
import java.util.concurrent.CountDownLatch;
public class Main {
    @Task static void fill(@InOut double[] x, double v) {
        try { Thread.sleep(200); } catch (InterruptedException e) { throw new IllegalStateException(e); }
        java.util.Arrays.fill(x, v);
    }
    // main reads an array, then another thread calls a task that writes it and tells main; main's next reads,
    // through the same variable, must wait for that task.
    public static void main(String[] args) throws InterruptedException {
        double[] x = new double[1000];
        double before = 0;
        for (int i = 0; i < x.length; i++) before += x[i];
        CountDownLatch called = new CountDownLatch(1);
        Thread t = new Thread(() -> { fill(x, 1.0); called.countDown(); });
        t.start();
        called.await();
        double after = 0;
        for (int i = 0; i < x.length; i++) after += x[i];
        t.join();
        System.out.println("before " + before + " after " + after);
    }
}
