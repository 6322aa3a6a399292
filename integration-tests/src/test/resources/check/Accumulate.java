import io.weft.api.Task;
import io.weft.api.Weft;

/** Adds into an accumulator the task takes as @In (no annotation): with worker processes the sum is lost. */
public class Accumulate {
    static final class Sum {
        long total;
    }

    @Task
    static void add(Sum acc, int v) {
        acc.total += v;
    }

    public static void main(String[] args) {
        Sum sum = new Sum();
        for (int i = 1; i <= 10; i++) {
            add(sum, i);
        }
        Weft.barrier();
        System.out.println("sum = " + sum.total);
    }
}
