package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each {@code @Task(onFailure)} policy, with objects and with files, in this JVM and with two worker processes:
 * RETRY runs a failed task again on its inputs as they were before the failed attempt, up to its retries; IGNORE
 * goes on with the previous versions; FAIL stops the run at once with status 1; CANCEL_SUCCESSORS cancels what
 * depends on the task and lets the rest go on. Attempts are counted in files, as a task may run in another process.
 */
class PoliciesIT {
    private static final String SUPPORT = """
            package pol;
            import java.nio.file.*;
            public final class Support {
                public static final class Box { public long v; public long[] trail = new long[4];
                    public Box(long v) { this.v = v; } }
                /** Counts the calls with this counter file: 1 for the first. */
                public static int attempt(String counter) {
                    try {
                        Path p = Path.of(counter);
                        int n = Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) + 1 : 1;
                        Files.writeString(p, Integer.toString(n));
                        return n;
                    } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                }
                public static int count(String counter) {
                    try {
                        Path p = Path.of(counter);
                        return Files.exists(p) ? Integer.parseInt(Files.readString(p).trim()) : 0;
                    } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                }
            }
            """;

    private static ChildJvm.Result run(String mode, String main) throws Exception {
        Path classes = SourcePrograms.compile(Map.of("pol/Support.java", SUPPORT, "pol/Main.java", main), "17");
        Path dir = TemporaryFolders.directory("weft-policies");
        ChildJvm jvm = ChildJvm.withAgent().classPath(classes).in(dir).timeout(120);
        if (!mode.isEmpty()) {
            jvm = jvm.agentArgs(mode);
        }
        return jvm.run("pol.Main", dir.toString());
    }

    @ParameterizedTest(name = "mode [{0}]")
    @ValueSource(strings = {"", "workers=2"})
    void retry_runsAgainOnTheInputsAsTheyWereBeforeTheFailedAttempt(String mode) throws Exception {
        ChildJvm.Result r = run(mode, """
                package pol;
                import io.weft.api.*;
                import java.nio.file.*;
                import static pol.Support.*;
                public class Main {
                    @Task static void flaky(@InOut Box b, String counter) {
                        b.v += 10;                      // changed in place before failing
                        b.trail[0]++;
                        if (attempt(counter) < 3) throw new IllegalStateException("flaky");
                    }
                    @Task static void flakyFile(@InOut Path f, String counter) throws java.io.IOException {
                        Files.writeString(f, Files.readString(f) + "+x");
                        if (attempt(counter) < 2) throw new IllegalStateException("flaky file");
                    }
                    @Task(retries = 1) static void hopeless(@InOut Box b, String counter) {
                        attempt(counter);
                        b.v = -1;
                        throw new ArithmeticException("never");
                    }
                    @Task static long read(Box b) { return b.v; }
                    public static void main(String[] a) throws Exception {
                        Box b = new Box(5);
                        flaky(b, a[0] + "/flaky");
                        System.out.println("box " + read(b) + " trail " + b.trail[0]);
                        Path f = Path.of(a[0], "data.txt");
                        Files.writeString(f, "start");
                        flakyFile(f, a[0] + "/file");
                        System.out.println("file " + Files.readString(f));
                        Box h = new Box(7);
                        hopeless(h, a[0] + "/hopeless");
                        try {
                            System.out.println(h.v);
                        } catch (TaskFailedException e) {
                            System.out.println("hopeless attempts=" + e.attempts() + " suppressed="
                                    + e.getSuppressed().length + " cause=" + e.getCause().getMessage());
                        }
                        System.out.println("after the failure the box is " + read(h));
                        System.out.println("runs flaky=" + count(a[0] + "/flaky") + " file=" + count(a[0] + "/file")
                                + " hopeless=" + count(a[0] + "/hopeless"));
                    }
                }
                """);
        assertThat(r.stdout()).as("%s", r).contains("box 15 trail 1", "file start+x",
                "hopeless attempts=2 suppressed=1 cause=never", "after the failure the box is 7",
                "runs flaky=3 file=2 hopeless=2");
        assertThat(r.exitCode()).as("every failure was caught: %s", r).isZero();
        assertThat(r.stderr()).contains("(attempt 1 of 3): java.lang.IllegalStateException: flaky; trying again");
    }

    @ParameterizedTest(name = "mode [{0}]")
    @ValueSource(strings = {"", "workers=2"})
    void ignore_goesOnWithThePreviousVersions(String mode) throws Exception {
        ChildJvm.Result r = run(mode, """
                package pol;
                import io.weft.api.*;
                import java.nio.file.*;
                import static pol.Support.*;
                public class Main {
                    @Task(onFailure = OnFailure.IGNORE) static Box broken(@InOut Box b, String counter) {
                        attempt(counter);
                        b.v = 1000;
                        throw new IllegalStateException("ignored");
                    }
                    @Task(onFailure = OnFailure.IGNORE) static void noFile(@Out Path f) throws java.io.IOException {
                        Files.writeString(f, "half");
                        throw new IllegalStateException("no file");
                    }
                    @Task static void add(@InOut Box b, long n) { b.v += n; }
                    public static void main(String[] a) throws Exception {
                        Box b = new Box(1);
                        Box made = broken(b, a[0] + "/broken");
                        add(b, 10);
                        System.out.println("box " + b.v);
                        try {
                            System.out.println(made.v);
                        } catch (TaskFailedException e) {
                            System.out.println("its result: " + e.getCause().getMessage());
                        }
                        Path f = Path.of(a[0], "out.txt");
                        noFile(f);
                        try {
                            System.out.println("file " + Files.readString(Weft.openFile(f)));
                        } catch (TaskFailedException e) {
                            System.out.println("its file: " + e.getCause().getMessage());
                        }
                        System.out.println("runs " + count(a[0] + "/broken"));
                    }
                }
                """);
        assertThat(r.stdout()).as("%s", r).contains("box 11", "its result: ignored", "its file: no file", "runs 1");
        assertThat(r.exitCode()).as("ignored failures do not change the status: %s", r).isZero();
        assertThat(r.stderr()).contains("ignored, as it declares (onFailure = IGNORE)");
    }

    @ParameterizedTest(name = "mode [{0}]")
    @ValueSource(strings = {"", "workers=2"})
    void cancelSuccessors_cancelsWhatDependsOnTheTask_andTheRestGoesOn(String mode) throws Exception {
        ChildJvm.Result r = run(mode, """
                package pol;
                import io.weft.api.*;
                import static pol.Support.*;
                public class Main {
                    @Task(onFailure = OnFailure.CANCEL_SUCCESSORS) static void broken(@InOut Box b, String counter) {
                        attempt(counter);
                        b.v = -1;
                        throw new IllegalStateException("cancel");
                    }
                    @Task static void add(@InOut Box b, long n, String counter) { attempt(counter); b.v += n; }
                    public static void main(String[] a) throws Exception {
                        Box b = new Box(1);
                        Box other = new Box(100);
                        broken(b, a[0] + "/broken");
                        add(b, 10, a[0] + "/dependent");
                        add(b, 10, a[0] + "/dependent");
                        add(other, 1, a[0] + "/other");
                        System.out.println("other " + other.v);
                        try {
                            System.out.println(b.v);
                        } catch (TaskFailedException e) {
                            System.out.println("b: " + e.taskName() + " " + e.getCause().getMessage());
                        }
                        add(b, 5, a[0] + "/later");
                        System.out.println("b after being told " + b.v);
                        System.out.println("runs broken=" + count(a[0] + "/broken") + " dependent="
                                + count(a[0] + "/dependent") + " later=" + count(a[0] + "/later"));
                    }
                }
                """);
        assertThat(r.stdout()).as("%s", r).contains("other 101", "b: Main.broken cancel", "b after being told 6",
                "runs broken=1 dependent=0 later=1");
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    @ParameterizedTest(name = "mode [{0}]")
    @ValueSource(strings = {"", "workers=2"})
    void fail_stopsTheRunAtOnce_withStatusOne(String mode) throws Exception {
        long start = System.nanoTime();
        ChildJvm.Result r = run(mode, """
                package pol;
                import io.weft.api.*;
                import static pol.Support.*;
                public class Main {
                    @Task(onFailure = OnFailure.FAIL) static void fatal(@InOut Box b, String counter) {
                        attempt(counter);
                        throw new IllegalStateException("fatal");
                    }
                    @Task static void slow(@InOut Box b) throws InterruptedException { Thread.sleep(60_000); }
                    public static void main(String[] a) throws Exception {
                        fatal(new Box(1), a[0] + "/fatal");
                        slow(new Box(0));
                        slow(new Box(0));
                        Weft.barrier();
                        System.out.println("end of main");
                    }
                }
                """);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stdout()).doesNotContain("end of main");
        assertThat(r.stderr()).contains("task Main.fatal (#1) failed and declares onFailure = FAIL: the run stops",
                "failed on worker", "after 1 attempt", "Caused by: java.lang.IllegalStateException: fatal",
                "at pol.Main.fatal(");
        assertThat(seconds).as("the 60 s task was not waited for").isLessThan(50);
    }
}
