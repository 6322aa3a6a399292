import io.weft.api.*;
public class Main {
    static class Box { int v; }
    @Task static Box make() { throw new IllegalStateException("boom"); }
    @Task static void t(@InOut Box x, Box[] others) { x.v += others.length; }
    public static void main(String[] a) {
        Box x = new Box();
        try {
            Box bad = make();
            t(x, new Box[]{bad});
        } catch (RuntimeException e) {
            Throwable own = e instanceof TaskFailedException ? e.getCause() : e; // the task's own exception
            System.out.println("caught " + own.getClass().getSimpleName());
        }
        System.out.println("x.v=" + x.v);
    }
}
