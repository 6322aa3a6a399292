import io.weft.api.*;
public class Main {
    static class Box { int v; }
    static void helper(Box b) { Weft.barrier(); b.v++; }   // library code that says "wait for everything"
    @Task static void inc(@InOut Box b) { helper(b); }
    public static void main(String[] a) {
        Box b = new Box();
        inc(b);
        System.out.println("v=" + b.v);
    }
}
