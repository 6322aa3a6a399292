import io.weft.api.*;
public class Main {
    @Task static int square(int x) { return x * x; }
    // A program that stops on bad input before its first task: the same output and status as without the agent.
    public static void main(String[] a) {
        if (a.length == 0) {
            System.out.println("usage: Main N");
            throw new IllegalArgumentException("no N given");
        }
        System.out.println(square(Integer.parseInt(a[0])));
    }
}
