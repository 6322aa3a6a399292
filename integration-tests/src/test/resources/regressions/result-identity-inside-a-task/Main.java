import io.weft.api.*;
import java.util.*;
public class Main {
    static class Box { int v; Box(int v) { this.v = v; } }
    @Task static Box make(int v) { return new Box(v); }
    @Task static void keep(@InOut List<Box> list, Box b) { list.add(b); }
    public static void main(String[] a) {
        List<Box> list = new ArrayList<>();
        Box b = make(1);
        keep(list, b);
        Weft.barrier();
        b.v = 42;
        System.out.println("list.get(0).v=" + list.get(0).v + " same=" + (list.get(0) == b));
    }
}
