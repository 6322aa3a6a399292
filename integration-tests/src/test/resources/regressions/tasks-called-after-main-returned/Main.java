import io.weft.api.*;
public class Main {
    static class Box { long v; }
    @Task static void add(@InOut Box b, long x) { b.v += x; }
    // main ends having called no task, while the runtime may still be starting; a thread of its calls tasks after.
    public static void main(String[] a) {
        new Thread(() -> {
            try { Thread.sleep(100); } catch (InterruptedException e) { throw new IllegalStateException(e); }
            Box b = new Box();
            for (int i = 1; i <= 100; i++) add(b, i);
            System.out.println("later: " + b.v);
        }).start();
        System.out.println("main ends");
    }
}
