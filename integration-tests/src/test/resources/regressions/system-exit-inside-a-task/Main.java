import io.weft.api.*;
public class Main {
    static class Box { int v; }
    @Task static void finish(@InOut Box b) { System.out.println("task exits"); System.exit(3); }
    public static void main(String[] a) throws Exception {
        Box b = new Box();
        finish(b);
        Thread.sleep(2000);
        System.out.println("not reached in sequential");
    }
}
