package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A task's exception reaches the program as a {@code TaskFailedException} carrying the task's own exception,
 * the task's name, its attempts and its worker: where the program touches the task's output, at a barrier, at a
 * group's close, or at the end of {@code main}; tasks that needed the failed output do not run; the exit code
 * says a task failed.
 */
class FailuresIT {
    private static final String BOX = """
            package fail;
            public final class Box { public long v; public Box(long v) { this.v = v; } }
            """;

    private static ChildJvm.Result run(String main) throws Exception {
        Path classes = SourcePrograms.compile(Map.of("fail/Box.java", BOX, "fail/Main.java", main), "17");
        return ChildJvm.withAgent().classPath(classes).run("fail.Main");
    }

    @Test
    void failureAtSynchronisation_throwsTaskFailedExceptionWithCause_andSkipsDependents() throws Exception {
        ChildJvm.Result r = run("""
                package fail;
                import io.weft.api.*;
                public class Main {
                    @Task static void explode(@InOut Box b) { b.v = -1; throw new IllegalStateException("boom"); }
                    @Task static void after(@InOut Box b) { System.out.println("dependent ran"); b.v += 100; }
                    public static void main(String[] a) {
                        Box b = new Box(1);
                        explode(b);
                        after(b);
                        try {
                            System.out.println(b.v);
                        } catch (TaskFailedException e) {
                            System.out.println("caught " + e.taskName() + " cause=" + e.getCause().getClass().getName()
                                    + ":" + e.getCause().getMessage() + " attempts=" + e.attempts()
                                    + " worker=" + e.worker());
                        }
                        System.out.println("main goes on");
                    }
                }
                """);
        assertThat(r.stdout()).contains("caught Main.explode cause=java.lang.IllegalStateException:boom attempts=3"
                + " worker=localhost", "main goes on");
        assertThat(r.stdout()).doesNotContain("dependent ran");
        assertThat(r.exitCode()).as("the program handled the failure and ended normally: %s", r).isZero();
        assertThat(r.stderr()).doesNotContain("exiting with status");
    }

    @Test
    void unobservedFailure_isThrownFromMain() throws Exception {
        ChildJvm.Result r = run("""
                package fail;
                import io.weft.api.*;
                public class Main {
                    @Task static void explode(@InOut Box b) { throw new UnsupportedOperationException("nobody looked"); }
                    public static void main(String[] a) {
                        explode(new Box(1));
                        System.out.println("end of main");
                    }
                }
                """);
        assertThat(r.stdout()).contains("end of main");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("io.weft.api.TaskFailedException: task Main.explode",
                "Caused by: java.lang.UnsupportedOperationException: nobody looked");
    }

    @Test
    void barrier_throwsTheFailure_andSynchronousResultRethrows() throws Exception {
        ChildJvm.Result r = run("""
                package fail;
                import io.weft.api.*;
                public class Main {
                    @Task static void explode(@InOut Box b) { throw new ArithmeticException("at barrier"); }
                    @Task static long value(Box b) { if (b.v < 0) throw new IllegalArgumentException("negative"); return b.v; }
                    public static void main(String[] a) {
                        explode(new Box(1));
                        try { Weft.barrier(); } catch (TaskFailedException e) {
                            System.out.println("barrier: " + e.getCause().getMessage());
                        }
                        try { value(new Box(-5)); } catch (TaskFailedException e) {
                            System.out.println("sync: " + e.getCause().getMessage());
                        }
                        System.out.println("value " + value(new Box(7)));
                    }
                }
                """);
        assertThat(r.stdout()).contains("barrier: at barrier", "sync: negative", "value 7");
        assertThat(r.exitCode()).as("both failures were caught: %s", r).isZero();
    }

    @Test
    void group_cancelsItsRemainingTasks_andRethrowsAtClose() throws Exception {
        ChildJvm.Result r = run("""
                package fail;
                import io.weft.api.*;
                public class Main {
                    @Task static void explode(@InOut Box b) { throw new IllegalStateException("group member"); }
                    @Task static void slow(@InOut Box b) {
                        try { Thread.sleep(200); } catch (InterruptedException e) { }
                        b.v++;
                    }
                    public static void main(String[] a) {
                        Box first = new Box(0);
                        Box[] boxes = new Box[20];
                        try (TaskGroup g = Weft.group("work")) {
                            explode(first);
                            for (int i = 0; i < boxes.length; i++) { boxes[i] = new Box(0); slow(boxes[i]); }
                        } catch (TaskFailedException e) {
                            System.out.println("group: " + e.getCause().getMessage());
                        }
                        long ran = 0;
                        for (Box b : boxes) ran += b.v; // a cancelled task leaves its box as it was
                        System.out.println(ran < boxes.length ? "some cancelled" : "none cancelled");
                    }
                }
                """);
        assertThat(r.stdout()).contains("group: group member", "some cancelled");
    }

    @Test
    void failedResult_stillThrowsWhenTouchedAfterEveryTaskEnded() throws Exception {
        ChildJvm.Result r = run("""
                package fail;
                import io.weft.api.*;
                public class Main {
                    @Task static Box broken() { throw new IllegalStateException("late"); }
                    public static void main(String[] a) throws Exception {
                        Box b = broken();
                        while (Weft.isActive() && !quiet()) { Thread.sleep(10); }
                        try { System.out.println("value " + b.v); } catch (TaskFailedException e) {
                            System.out.println("thrown: " + e.getCause().getMessage());
                        }
                    }
                    static boolean quiet() {
                        try { Weft.barrier(); return true; } catch (TaskFailedException e) { return true; }
                    }
                }
                """);
        assertThat(r.stdout()).contains("thrown: late").doesNotContain("value");
        assertThat(r.exitCode()).as("the failure reached the program, which caught it: %s", r).isZero();
    }
}
