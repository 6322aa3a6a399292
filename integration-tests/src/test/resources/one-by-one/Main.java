import io.weft.api.Task;

/** Uses each task's result right after calling it: the tasks run one after another. */
public class Main {
    static final class Square {
        final int v;

        Square(int v) {
            this.v = v;
        }
    }

    @Task
    static Square square(int x) {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return new Square(x * x);
    }

    public static void main(String[] args) {
        long sum = 0;
        for (int i = 0; i < 24; i++) {
            Square s = square(i);
            sum += s.v; // line 27: waits for the task just called
        }
        System.out.println("sum " + sum);
    }
}
