package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run with {@code checkpoint=<folder>} killed with SIGKILL mid-run and started again with the same folder: the
 * tasks that had finished are not run again (each execution appends a line to a file, counted), and the program
 * prints what its sequential run prints. A folder of another program, or a damaged journal, is refused.
 */
class CheckpointIT {
    private static final String MAIN = """
            package ck;
            import io.weft.api.*;
            import java.nio.file.*;
            public class Main {
                static final class Box { long v; int[] trail = new int[2]; Box(long v) { this.v = v; } }
                static void ran(String log) {
                    try {
                        Files.writeString(Path.of(log), "x\\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        Thread.sleep(40);
                    } catch (Exception e) { throw new RuntimeException(e); }
                }
                @Task static Box make(long seed, String log) { ran(log); return new Box(seed); }
                @Task static void step(@InOut Box b, int i, String log) { ran(log); b.v = b.v * 31 + i; b.trail[i % 2]++; }
                @Task static long total(Box a, Box b, String log) { ran(log); return a.v ^ b.v; }
                @Task static void line(@InOut Path f, int i, String log) throws java.io.IOException {
                    ran(log);
                    Files.writeString(f, Files.readString(f) + i + ",");
                }
                public static void main(String[] args) throws Exception {
                    String log = args[0] + "/executions";
                    Path f = Path.of(args[0], "lines.txt");
                    Files.writeString(f, "");
                    Box[] boxes = new Box[4];
                    for (int c = 0; c < boxes.length; c++) boxes[c] = make(c + 1, log);
                    for (int i = 0; i < 20; i++) {
                        for (Box b : boxes) step(b, i, log);
                        line(f, i, log);
                    }
                    System.out.println("total " + total(boxes[0], boxes[3], log));
                    for (Box b : boxes) System.out.println(b.v + " " + b.trail[0] + " " + b.trail[1]);
                    System.out.println(Files.readString(Weft.openFile(f)));
                }
            }
            """;
    /** make 4, step 80, line 20, total 1. */
    private static final int TASKS = 105;

    private static Path compile() throws Exception {
        return SourcePrograms.compile(Map.of("ck/Main.java", MAIN), "17");
    }

    private static int executions(Path dir) throws Exception {
        Path log = dir.resolve("executions");
        return Files.exists(log) ? (int) Files.readAllLines(log).stream().filter(l -> !l.isEmpty()).count() : 0;
    }

    @ParameterizedTest(name = "mode [{0}]")
    @ValueSource(strings = {"threads=2", "workers=2"})
    void killedRun_resumed_skipsTheFinishedTasks_andPrintsTheSequentialResult(String mode) throws Exception {
        Path classes = compile();
        Path plain = TemporaryFolders.directory("weft-ck-seq");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).in(plain).run("ck.Main", plain.toString());
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();

        Path dir = TemporaryFolders.directory("weft-ck");
        Path folder = dir.resolve("checkpoint");
        String options = mode + ",checkpoint=" + folder;
        ChildJvm.Running first = ChildJvm.withAgent().agentArgs(options).classPath(classes).in(dir).timeout(120)
                .start("ck.Main", dir.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (executions(dir) < 40 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(executions(dir)).as("the first run got going").isGreaterThanOrEqualTo(40);
        ProcessHandle.of(first.process().pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
        first.await();
        int firstRun = executions(dir);
        assertThat(firstRun).as("killed before the end").isLessThan(TASKS);

        ChildJvm.Result resumed = ChildJvm.withAgent().agentArgs(options).classPath(classes).in(dir).timeout(120)
                .run("ck.Main", dir.toString());
        int secondRun = executions(dir) - firstRun;
        assertThat(resumed.exitCode()).as("%s", resumed).isZero();
        assertThat(resumed.stdout()).as("%s", resumed).isEqualTo(sequential.stdout());
        assertThat(resumed.stderr()).contains("resuming from checkpoint folder " + folder,
                "tasks were not run again: their outputs came from checkpoint folder " + folder);
        // What the killed run finished is not run again; at most the tasks running when it was killed (2 executors)
        // and a few whose outputs were being saved run twice.
        assertThat(secondRun).as("executions in the resumed run, after %d in the killed one", firstRun)
                .isLessThanOrEqualTo(TASKS - firstRun + 4).isLessThan(TASKS - 30);

        ChildJvm.Result again = ChildJvm.withAgent().agentArgs(options).classPath(classes).in(dir).timeout(120)
                .run("ck.Main", dir.toString());
        assertThat(again.stdout()).as("%s", again).isEqualTo(sequential.stdout());
        assertThat(executions(dir) - firstRun - secondRun).as("a finished run started again runs nothing").isZero();
    }

    @Test
    void folderOfAnotherProgram_orADamagedJournal_isRefused_sayingWhy() throws Exception {
        Path classes = compile();
        Path dir = TemporaryFolders.directory("weft-ck-bad");
        Path folder = dir.resolve("checkpoint");
        ChildJvm.Result made = ChildJvm.withAgent().agentArgs("checkpoint=" + folder).classPath(classes).in(dir)
                .run("ck.Main", dir.toString());
        assertThat(made.exitCode()).as("%s", made).isZero();

        String other = """
                public class Other { public static void main(String[] a) { System.out.println("other"); } }
                """;
        Path otherClasses = SourcePrograms.compile(Map.of("Other.java", other), "17");
        ChildJvm.Result refused = ChildJvm.withAgent().agentArgs("checkpoint=" + folder).classPath(otherClasses)
                .in(dir).run("Other");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
        assertThat(refused.stdout()).doesNotContain("other");
        assertThat(refused.stderr()).contains("weft: error: checkpoint folder " + folder
                + " belongs to program ck.Main, not to Other");

        Path journal = folder.resolve("journal");
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(journal));
        lines.set(3, lines.get(3).replaceFirst("\t", "\tX"));
        Files.write(journal, lines);
        ChildJvm.Result damaged = ChildJvm.withAgent().agentArgs("checkpoint=" + folder).classPath(classes).in(dir)
                .run("ck.Main", dir.toString());
        assertThat(damaged.exitCode()).as("%s", damaged).isEqualTo(2);
        assertThat(damaged.stderr()).contains("weft: error: checkpoint journal " + journal
                + " is damaged at line 4 (its CRC does not match its text)");
    }

    @Test
    void taskThatReadWhatAnIgnoredFailureLeft_isNotReplayed_whenThatTaskSucceedsInTheNextRun() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("ck/Flaky.java", """
                package ck;
                import io.weft.api.*;
                import java.nio.file.*;
                public class Flaky {
                    static final class Box { long v; Box(long v) { this.v = v; } }
                    @Task(onFailure = OnFailure.IGNORE)
                    static void maybe(@InOut Box b, String flag) {
                        if (Files.exists(Path.of(flag))) throw new IllegalStateException("not today");
                        b.v += 100;
                    }
                    @Task static void twice(@InOut Box b) { b.v *= 2; }
                    public static void main(String[] args) {
                        Box b = new Box(1);
                        maybe(b, args[0] + "/fail");
                        twice(b);
                        System.out.println("v " + b.v);
                    }
                }
                """), "17");
        Path dir = TemporaryFolders.directory("weft-ck-taint");
        String options = "checkpoint=" + dir.resolve("checkpoint");
        Files.writeString(dir.resolve("fail"), "");
        ChildJvm.Result failing = ChildJvm.withAgent().agentArgs(options).classPath(classes).in(dir)
                .run("ck.Flaky", dir.toString());
        assertThat(failing.stdout()).as("%s", failing).isEqualTo("v 2\n");

        Files.delete(dir.resolve("fail"));
        ChildJvm.Result next = ChildJvm.withAgent().agentArgs(options).classPath(classes).in(dir)
                .run("ck.Flaky", dir.toString());
        assertThat(next.exitCode()).as("%s", next).isZero();
        assertThat(next.stdout()).as("twice ran on what maybe made this time: %s", next).isEqualTo("v 202\n");
    }
}
