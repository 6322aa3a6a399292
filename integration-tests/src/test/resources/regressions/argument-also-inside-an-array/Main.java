import io.weft.api.*;
public class Main {
    static class Box { int v; public String toString(){return "Box"+v;} }
    @Task static void t(@InOut Box b, Box[] arr) { b.v += arr.length; }
    public static void main(String[] a) {
        Box b = new Box();
        t(b, new Box[]{b});
        System.out.println("v=" + b.v);
    }
}
