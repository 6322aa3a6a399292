package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What moves between worker processes and the master, read from the run's own summary and placement record: a
 * version a worker keeps comes to the master only when the program touches it, and one whose worker is gone
 * makes the program fail where it touches it, naming the worker, instead of hanging.
 */
class DataMovementIT {
    private static final long TIMEOUT = 120;
    private static final Pattern HOME = Pattern.compile(
            "weft: brought home from workers: (\\d+) objects?, (\\d+) files? \\(([\\d.]+) MB\\)");
    private static final Pattern DROPPED = Pattern.compile("; (\\d+) dropped there unread");

    /**
     * Each of twenty rounds makes a 1 MB block on a worker, sums it there, and drops it: the program reads only the
     * sums. Before it ends it lets the collector run, so the dropped blocks are noticed.
     */
    private static final String DROPS = """
            package drops;
            import io.weft.api.*;

            public class Drops {
                static final class Block {
                    final double[] v;
                    Block(double[] v) { this.v = v; }
                }
                static final class Sum {
                    double value;
                }

                @Task static Block make(int seed) {
                    double[] v = new double[128 * 1024];
                    for (int i = 0; i < v.length; i++) v[i] = (seed * 7 + i) % 13;
                    return new Block(v);
                }

                @Task static Sum sum(Block b) {
                    Sum s = new Sum();
                    for (double x : b.v) s.value += x;
                    return s;
                }

                public static void main(String[] args) throws Exception {
                    double total = 0;
                    for (int round = 0; round < 20; round++) {
                        Block b = make(round);
                        total += sum(b).value;
                    }
                    System.out.println("total " + total);
                    for (int i = 0; i < 5; i++) {
                        System.gc();
                        Thread.sleep(100);
                    }
                }
            }
            """;

    @Test
    void versionsWorkersKeep_ofObjectsTheProgramDropped_areDroppedThere_neverMoved() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("drops/Drops.java", DROPS), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("drops.Drops");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("workers=2,threads=1,summary=true")
                .timeout(TIMEOUT).classPath(classes).run("drops.Drops");
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        Matcher home = HOME.matcher(parallel.stderr());
        assertThat(home.find()).as("the summary says what came home: %s", parallel.stderr()).isTrue();
        assertThat(Integer.parseInt(home.group(1))).as("objects brought home").isZero();
        Matcher dropped = DROPPED.matcher(parallel.stderr());
        assertThat(dropped.find()).as("the summary says what was dropped: %s", parallel.stderr()).isTrue();
        assertThat(Integer.parseInt(dropped.group(1))).as("blocks dropped where they were made").isPositive();
    }

    /**
     * Six fragments of 1 MB made by tasks, each summed by a task, four map/reduce rounds: the program reads the
     * sums (small, sent back with their reports) and, with the argument {@code touch}, one fragment.
     */
    private static final String FRAGMENTS = """
            package frag;
            import io.weft.api.*;

            public class Fragments {
                static final class Fragment {
                    final double[] v;
                    Fragment(double[] v) { this.v = v; }
                }
                static final class Sum {
                    double value;
                }

                @Task static Fragment make(int seed) {
                    double[] v = new double[128 * 1024];
                    for (int i = 0; i < v.length; i++) v[i] = (seed * 31 + i) % 97;
                    return new Fragment(v);
                }

                @Task static void scale(@InOut Fragment f, double by) {
                    for (int i = 0; i < f.v.length; i++) f.v[i] *= by;
                }

                @Task static Sum sum(Fragment f) {
                    Sum s = new Sum();
                    for (double x : f.v) s.value += x;
                    return s;
                }

                public static void main(String[] args) {
                    Fragment[] fragments = new Fragment[6];
                    for (int i = 0; i < fragments.length; i++) fragments[i] = make(i);
                    double total = 0;
                    for (int round = 0; round < 4; round++) {
                        Sum[] sums = new Sum[fragments.length];
                        for (int i = 0; i < fragments.length; i++) {
                            scale(fragments[i], 0.5);
                            sums[i] = sum(fragments[i]);
                        }
                        for (Sum s : sums) total += s.value;
                    }
                    System.out.println("total " + total);
                    if (args.length > 0 && args[0].equals("touch")) {
                        System.out.println("first " + fragments[0].v[12345]);
                    }
                }
            }
            """;

    @Test
    void versionsWorkersKeep_stayThere_untilTheProgramTouchesOne() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("frag/Fragments.java", FRAGMENTS), "17");
        for (String touch : List.of("", "touch")) {
            String[] args = touch.isEmpty() ? new String[0] : new String[] {touch};
            ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("frag.Fragments", args);
            assertThat(sequential.exitCode()).as("%s", sequential).isZero();
            ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("workers=2,threads=1,summary=true")
                    .timeout(TIMEOUT).classPath(classes).run("frag.Fragments", args);
            assertThat(parallel.exitCode()).as("%s", parallel).isZero();
            assertThat(parallel.stdout()).isEqualTo(sequential.stdout());

            Matcher home = HOME.matcher(parallel.stderr());
            assertThat(home.find()).as("the summary says what came home: %s", parallel.stderr()).isTrue();
            // The fragments (1 MB each, kept by the workers that made them) never come to the master, although no
            // task uses them once the loop ends; the sums are small and came back with their tasks' reports.
            assertThat(Integer.parseInt(home.group(1))).as("objects brought home, touching %s: %s",
                    touch.isEmpty() ? "none" : "one fragment", parallel.stderr()).isEqualTo(touch.isEmpty() ? 0 : 1);
            assertThat(Integer.parseInt(home.group(2))).as("files brought home").isZero();
        }
    }

    /**
     * A result a worker keeps, which the program reads only once the test has killed that worker (the test waits
     * for the task's line in the placement record, written when it ends).
     */
    private static final String ORPHAN = """
            package orphan;
            import io.weft.api.*;
            import java.nio.file.*;

            public class Orphan {
                static final class Big {
                    final long[] v;
                    Big(long[] v) { this.v = v; }
                }

                @Task static Big make(int n) {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) v[i] = i;
                    return new Big(v);
                }

                public static void main(String[] args) throws Exception {
                    Big big = make(200_000); // no barrier: it would bring the result home at once
                    Path markers = Path.of(args[0]);
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    while (!Files.exists(markers.resolve("go")) && System.nanoTime() < deadline) Thread.sleep(20);
                    long sum = 0;
                    for (long x : big.v) sum += x;
                    System.out.println("sum " + sum);
                }
            }
            """;

    @Test
    void versionKeptByAWorkerThatDied_isMadeAgainWhereTheProgramTouchesIt() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("orphan/Orphan.java", ORPHAN), "17");
        Path markers = TemporaryFolders.directory("weft-orphan");
        Path record = TemporaryFolders.file("weft-placements", ".jsonl");
        ChildJvm.Running master = ChildJvm.withAgent().agentArgs("workers=2,threads=1,placements=" + record)
                .timeout(TIMEOUT).classPath(classes).start("orphan.Orphan", markers.toString());
        ChildJvm.Result result;
        String holder;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(record) == 0) {
                assertThat(System.nanoTime()).as("the result was made within 60 s: %s", master.stderrSoFar())
                        .isLessThan(deadline);
                assertThat(master.process().isAlive()).as("the master runs: %s", master.stderrSoFar()).isTrue();
                Thread.sleep(20);
            }
            holder = Placements.read(record).entries().get(0).node();
            ProcessHandle worker = master.process().descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("--node " + holder + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no worker process for " + holder));
            assertThat(worker.destroyForcibly()).isTrue();
            worker.onExit().get(10, TimeUnit.SECONDS);
            Files.createFile(markers.resolve("go"));
            result = master.await();
        } catch (Throwable t) {
            master.kill();
            throw t;
        }
        // Its producer ran again on the worker left, and the program got the result it would have got.
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.stdout()).isEqualTo("sum 19999900000\n");
        assertThat(result.stderr()).as("%s", result).contains("weft: lost worker " + holder);
    }
}
