package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Worker processes killed with SIGKILL while a run goes on (the failure-management issue, point 5): the run ends as
 * the program does without Weft, data only a lost worker kept is made again, and losing every worker ends the run at
 * once with one clear message.
 */
class LostWorkersIT {
    /**
     * About 2,800 tasks over 20 chains of objects large enough to stay in the workers that made them (80 KB each):
     * updates in place, results of other tasks absorbed, other chains read, and a few files written; the pause each
     * task takes only spreads the run over a few seconds, so that the kills land while it goes on.
     */
    private static final String CHAOS = """
            import io.weft.api.*;
            import java.nio.file.*;
            import java.util.*;

            public class Main {
                static final class Chain implements java.io.Serializable {
                    final long[] d = new long[10_000];
                    long h;
                }
                static final class Part implements java.io.Serializable {
                    final long[] d = new long[10_000];
                    long h;
                }
                static void pause(int millis) {
                    if (millis > 0) {
                        try { Thread.sleep(millis); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                    }
                }
                @Task static void step(@InOut Chain c, int i, int pause) {
                    pause(pause);
                    for (int k = 0; k < c.d.length; k += 97) c.d[k] = c.d[k] * 31 + i + k;
                    c.h = c.h * 1_000_003 + i;
                }
                @Task static Part produce(int seed, int pause) {
                    pause(pause);
                    Part p = new Part();
                    long x = seed;
                    for (int k = 0; k < p.d.length; k++) { x = x * 6364136223846793005L + 1442695040888963407L; p.d[k] = x; }
                    p.h = x;
                    return p;
                }
                @Task static void absorb(@InOut Chain c, Part p, int pause) {
                    pause(pause);
                    for (int k = 0; k < c.d.length; k += 89) c.d[k] ^= p.d[k];
                    c.h = c.h * 31 + p.h;
                }
                @Task static void mix(@InOut Chain c, Chain other, int pause) {
                    pause(pause);
                    c.h = c.h * 17 + other.h + other.d[5];
                }
                @Task static void report(@Out Path file, Chain c, int round) throws java.io.IOException {
                    Files.writeString(file, "round " + round + ": " + c.h + "\\n");
                }
                public static void main(String[] args) throws Exception {
                    int pause = Integer.parseInt(args[0]);
                    Path dir = Path.of(args[1]);
                    int chains = 20;
                    int rounds = 90;
                    Chain[] c = new Chain[chains];
                    for (int i = 0; i < chains; i++) c[i] = new Chain();
                    List<Path> reports = new ArrayList<>();
                    int tasks = 0;
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < chains; i++) {
                            step(c[i], r * chains + i, pause);
                            tasks++;
                            if (r % 6 == 5) {
                                Part p = produce(r * chains + i, pause);
                                absorb(c[i], p, pause);
                                tasks += 2;
                            }
                            if (r % 4 == 3) {
                                mix(c[i], c[(i + 1) % chains], pause);
                                tasks++;
                            }
                        }
                        if (r % 10 == 9) {
                            Path f = dir.resolve("report-" + r + ".txt");
                            report(f, c[r % chains], r);
                            reports.add(f);
                            tasks++;
                        }
                    }
                    System.out.println(tasks + " tasks");
                    for (int i = 0; i < chains; i++) {
                        long s = 0;
                        for (long x : c[i].d) s += x;
                        System.out.println("chain " + i + ": " + c[i].h + " " + s);
                    }
                    for (Path f : reports) System.out.print(Files.readString(f));
                }
            }
            """;

    @Test
    void workersKilledAtRandomMoments_theRunStillEndsWithTheSequentialResult() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", CHAOS), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).timeout(60)
                .run("Main", "0", TemporaryFolders.directory("weft-seq").toString());
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        assertThat(sequential.stdout()).startsWith("2849 tasks"); // at least 2,000, as the issue asks

        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path out = TemporaryFolders.directory("weft-par");
        // The master makes its workers' folder in its own temporary folder: one of this test's, to look into.
        Path tmp = TemporaryFolders.directory("weft-lost-tmp");
        ChildJvm.Running master = ChildJvm.withAgent().agentArgs("workers=3").classPath(classes).timeout(120)
                .jvmOption("-Djava.io.tmpdir=" + tmp).start("Main", "4", out.toString());
        List<ProcessHandle> workers = workersOf(master.process(), 3);
        // Killed once they serve: a worker that dies while it starts fails the run's start (status 2).
        awaitFile(out.resolve("report-9.txt"), master.process());
        Collections.shuffle(workers, random);
        int killed = 0;
        for (ProcessHandle w : workers.subList(0, 1 + random.nextInt(2))) { // one or two of the three
            Thread.sleep(300 + random.nextInt(1500));
            if (master.process().isAlive()) {
                w.destroyForcibly(); // SIGKILL
                killed++;
            }
        }
        ChildJvm.Result r = master.await();
        String context = "seed " + seed + ", " + killed + " killed\n" + r;
        assertThat(killed).as("a worker was killed while the run went on: %s", context).isPositive();
        assertThat(r.exitCode()).as(context).isEqualTo(sequential.exitCode());
        assertThat(r.stdout()).as(context).isEqualTo(sequential.stdout());
        assertThat(r.stderr()).as(context).contains("lost worker");
        // The folder the master made for its workers goes at its end, with what the killed workers left in theirs.
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("weft-workers-")))
                    .as(context).isEmpty();
        }
    }

    /**
     * An iterative program: each round, tasks read a parameter object and make parts large enough to stay in the
     * workers that made them (80 KB); then the main program updates the parameters in place (which waits for the
     * round's tasks, brings the object home and lets its handle go). Once every part is made, a worker is killed:
     * the parts it kept, made from parameters the program has changed since, are made again from the bytes the
     * master sent the parameters as, and the sums are those of the program without Weft.
     */
    private static final String ITERATIVE = """
            import io.weft.api.*;
            import java.nio.file.*;
            import java.util.*;

            public class Main {
                static final class Params implements java.io.Serializable {
                    long mul = 1;
                    long shift;
                }
                static final class Part implements java.io.Serializable {
                    final long[] d = new long[10_000];
                }
                static final class Acc implements java.io.Serializable {
                    long h;
                }
                @Task static Part compute(Params p, int seed) {
                    System.err.println("computing part " + seed);
                    Part r = new Part();
                    long x = seed;
                    for (int k = 0; k < r.d.length; k++) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                        r.d[k] = x * p.mul + p.shift;
                    }
                    return r;
                }
                @Task static void absorb(@InOut Acc acc, Part r) {
                    for (int k = 0; k < r.d.length; k += 101) acc.h = acc.h * 31 + r.d[k];
                }
                public static void main(String[] args) throws Exception {
                    Params p = new Params();
                    List<Part> parts = new ArrayList<>();
                    for (int round = 0; round < 6; round++) {
                        for (int k = 0; k < 8; k++) parts.add(compute(p, round * 8 + k));
                        p.mul = p.mul * 3 + round; // in place: the round's tasks read what it held before
                        p.shift += 1000 * round;
                    }
                    if (args.length > 0) { // a worker is killed now, while it keeps parts of every round
                        Path dir = Path.of(args[0]);
                        Files.writeString(dir.resolve("made"), "");
                        while (!Files.exists(dir.resolve("killed"))) Thread.sleep(10);
                    }
                    Acc acc = new Acc();
                    for (Part r : parts) absorb(acc, r);
                    System.out.println("absorbed " + acc.h);
                    for (int i = 0; i < parts.size(); i++) {
                        long s = 0;
                        for (long x : parts.get(i).d) s += x;
                        System.out.println("part " + i + ": " + s);
                    }
                    System.out.println("params " + p.mul + " " + p.shift);
                }
            }
            """;

    @Test
    void iterativeProgramChangingItsParametersInPlace_losesAWorker_andGetsTheSequentialResult() throws Exception {
        killAWorkerOnceEveryPartIsMade(ITERATIVE);
    }

    /**
     * As {@link #ITERATIVE}, but a task updates the parameters (a model large enough to stay in the worker that
     * updates it), and the main program only reads them between rounds, which brings them home each time: the
     * parts a killed worker kept are made again from the bytes the model arrived home as.
     */
    private static final String MODEL_READ_BY_THE_PROGRAM = """
            import io.weft.api.*;
            import java.nio.file.*;
            import java.util.*;

            public class Main {
                static final class Model implements java.io.Serializable {
                    final long[] w = new long[10_000];
                    long round;
                }
                static final class Part implements java.io.Serializable {
                    final long[] d = new long[10_000];
                }
                @Task static void step(@InOut Model m, int round) {
                    for (int k = 0; k < m.w.length; k += 7) m.w[k] = m.w[k] * 31 + round + k;
                    m.round = round;
                }
                @Task static Part compute(Model m, int seed) {
                    System.err.println("computing part " + seed);
                    Part r = new Part();
                    long x = seed;
                    for (int k = 0; k < r.d.length; k++) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                        r.d[k] = x * (m.w[k] | 1) + m.round;
                    }
                    return r;
                }
                public static void main(String[] args) throws Exception {
                    Model m = new Model();
                    List<Part> parts = new ArrayList<>();
                    StringBuilder seen = new StringBuilder();
                    for (int round = 0; round < 6; round++) {
                        step(m, round);
                        for (int k = 0; k < 8; k++) parts.add(compute(m, round * 8 + k));
                        seen.append(m.w[7 * round]).append(' '); // brings the model home, as it is after the round
                    }
                    if (args.length > 0) {
                        Path dir = Path.of(args[0]);
                        Files.writeString(dir.resolve("made"), "");
                        while (!Files.exists(dir.resolve("killed"))) Thread.sleep(10);
                    }
                    System.out.println("seen " + seen);
                    for (int i = 0; i < parts.size(); i++) {
                        long s = 0;
                        for (long x : parts.get(i).d) s += x;
                        System.out.println("part " + i + ": " + s);
                    }
                }
            }
            """;

    @Test
    void iterativeProgramReadingAModelTasksUpdate_losesAWorker_andGetsTheSequentialResult() throws Exception {
        killAWorkerOnceEveryPartIsMade(MODEL_READ_BY_THE_PROGRAM);
    }

    /**
     * Runs a program of 48 parts without the agent, then on two workers, killing one once the program has made every
     * part (it writes {@code made}, and waits for {@code killed}): the run ends as the sequential one, and parts were
     * computed again.
     */
    private static void killAWorkerOnceEveryPartIsMade(String source) throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", source), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).timeout(60).run("Main");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();

        Path dir = TemporaryFolders.directory("weft-iter");
        ChildJvm.Running master = ChildJvm.withAgent().agentArgs("workers=2").classPath(classes).timeout(120)
                .start("Main", dir.toString());
        List<ProcessHandle> workers = workersOf(master.process(), 2);
        awaitFile(dir.resolve("made"), master.process());
        workers.get(0).destroyForcibly(); // SIGKILL
        workers.get(0).onExit().get(30, TimeUnit.SECONDS);
        java.nio.file.Files.writeString(dir.resolve("killed"), "");
        ChildJvm.Result r = master.await();

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).as("%s", r).isEqualTo(sequential.stdout());
        assertThat(r.stderr()).as("%s", r).contains("lost worker");
        long computed = r.stderr().lines().filter(l -> l.startsWith("computing part ")).count();
        assertThat(computed).as("parts the killed worker kept were made again: %s", r).isGreaterThan(48);
    }

    @Test
    void everyWorkerKilled_endsTheRunAtOnce_withOneMessage_andANonZeroStatus() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", CHAOS), "17");
        Path out = TemporaryFolders.directory("weft-par");
        ChildJvm.Running master = ChildJvm.withAgent().agentArgs("workers=2").classPath(classes).timeout(120)
                .start("Main", "20", out.toString());
        List<ProcessHandle> workers = workersOf(master.process(), 2);
        awaitFile(out.resolve("report-9.txt"), master.process());
        long killed = System.nanoTime();
        for (ProcessHandle w : workers) {
            w.destroyForcibly();
        }
        ChildJvm.Result r = master.await();
        double seconds = (System.nanoTime() - killed) / 1e9;
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(seconds).as("it ends at once, not after the tasks left: %s", r).isLessThan(30);
        assertThat(r.stdout()).isEmpty();
        String message = "every worker of the run was lost (worker";
        assertThat(r.stderr()).as("%s", r).contains(message).contains("the run cannot go on");
        assertThat(r.stderr().lines().filter(l -> l.contains("failed on worker")).count())
                .as("no failure for each task: %s", r).isZero();
        assertThat(r.stderr().lines().filter(l -> l.contains(message)).count()).as("%s", r).isLessThanOrEqualTo(2);
    }

    /**
     * A task that ends its worker process on every attempt (as a crash of the JVM would) fails after its attempts,
     * naming the workers lost, rather than take every worker down; the run goes on with the worker left.
     */
    @Test
    void taskThatEndsItsWorkerOnEveryAttempt_failsAfterItsAttempts_andTheRunGoesOn() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Main.java", """
                import io.weft.api.*;
                public class Main {
                    static final class Box { long v; }
                    @Task(retries = 1) static void crash(@InOut Box b, long masterPid) {
                        if (ProcessHandle.current().pid() != masterPid) Runtime.getRuntime().halt(9);
                        b.v = 1;
                    }
                    @Task static void add(@InOut Box b, long n) { b.v += n; }
                    public static void main(String[] a) {
                        Box doomed = new Box();
                        crash(doomed, ProcessHandle.current().pid());
                        try {
                            System.out.println("value " + doomed.v);
                        } catch (TaskFailedException e) {
                            System.out.println("after " + e.attempts() + " attempts: " + e.getCause().getMessage());
                        }
                        Box ok = new Box();
                        for (int i = 1; i <= 100; i++) add(ok, i);
                        System.out.println("sum " + ok.v);
                    }
                }
                """), "17");
        long start = System.nanoTime();
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("workers=3").classPath(classes).timeout(120).run("Main");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).as("%s", r).startsWith("after 2 attempts: a worker was lost while running it on each of"
                + " its 2 attempts: worker").contains("it may be what ends them").endsWith("sum 5050\n");
        assertThat(r.stderr().lines().filter(l -> l.startsWith("weft: lost worker")).count()).as("%s", r)
                .isEqualTo(2);
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(60));
    }

    /** Waits (60 s at most) until a task of the program wrote {@code file}: the workers serve. */
    private static void awaitFile(Path file, Process master) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!java.nio.file.Files.exists(file)) {
            if (System.nanoTime() > deadline || !master.isAlive()) {
                throw new AssertionError(file + " was not written: the run did not get going");
            }
            Thread.sleep(20);
        }
    }

    /** The worker processes the master started, once there are {@code count}; within 60 s. */
    private static List<ProcessHandle> workersOf(Process master, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> workers = new ArrayList<>();
            master.descendants().filter(p -> p.info().commandLine().orElse("").contains("role=worker"))
                    .forEach(workers::add);
            if (workers.size() >= count) {
                return workers;
            }
            if (!master.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the master did not start " + count + " worker processes");
    }
}
