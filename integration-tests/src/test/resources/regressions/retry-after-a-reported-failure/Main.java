import io.weft.api.*;
public class Main {
    static class Box { int v; }
    static int calls;
    // The program retries by itself: no retry of Weft's first, so that it sees the failure as its sequential run does.
    @Task(onFailure = OnFailure.CANCEL_SUCCESSORS) static void flaky(@InOut Box b) { if (calls++ == 0) throw new IllegalStateException("transient"); b.v++; }
    public static void main(String[] a) {
        Box b = new Box();
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                flaky(b);
                System.out.println("attempt " + attempt + ": v=" + b.v);
                break;
            } catch (RuntimeException e) {
                System.out.println("attempt " + attempt + " failed: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            }
        }
    }
}
