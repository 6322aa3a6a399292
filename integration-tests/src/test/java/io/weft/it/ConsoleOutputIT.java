package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a person sees on a terminal that shows standard output and standard error together: Weft's progress bar
 * and the program's own lines each on lines of their own.
 */
class ConsoleOutputIT {
    /** Rounds of short tasks, a line of the program's after each: the bar is redrawn in between. */
    private static final String ROUNDS = """
            package rounds;
            import io.weft.api.*;
            public class Rounds {
                static final class Cell { long v; }
                @Task static void tick(@InOut Cell c) {
                    try { Thread.sleep(2); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                    c.v++;
                }
                public static void main(String[] args) {
                    Cell[] cells = new Cell[8];
                    for (int i = 0; i < cells.length; i++) cells[i] = new Cell();
                    for (int round = 1; round <= 16; round++) {
                        for (int i = 0; i < 128; i++) tick(cells[i % cells.length]);
                        long total = 0;
                        for (Cell c : cells) total += c.v;
                        System.out.println("round " + round + ": " + total);
                    }
                }
            }
            """;

    @Test
    void progressBar_isWipedBeforeTheProgramsOwnLines() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("rounds/Rounds.java", ROUNDS), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("rounds.Rounds");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();

        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("progress=true,threads=2").mergeOutput()
                .classPath(classes).run("rounds.Rounds");
        assertThat(run.exitCode()).as("%s", run).isZero();
        List<String> screen = render(run.stdout());
        List<String> programLines = new ArrayList<>();
        for (String line : screen) {
            if (line.startsWith("weft [")) {
                assertThat(line).as("a bar line, alone on its line; the screen:\n%s", String.join("\n", screen))
                        .matches("weft \\[[# ]{30}] \\d+/\\d+ tasks");
            } else {
                assertThat(line).as("a line of the program's, alone on its line; the screen:\n%s",
                        String.join("\n", screen)).doesNotContain("weft [");
                programLines.add(line);
            }
        }
        assertThat(String.join("\n", programLines) + "\n").isEqualTo(sequential.stdout());
        assertThat(screen).as("the bar was drawn (the run lasted more than a second)")
                .anyMatch(line -> line.startsWith("weft ["));
        assertThat(screen.get(screen.size() - 1)).as("the bar's final state stays on the last line")
                .isEqualTo("weft [" + "#".repeat(30) + "] 2048/2048 tasks");
    }

    /** A task that sleeps longer than the program is willing to wait quietly. */
    private static final String SLOW = """
            package slow;
            import io.weft.api.*;
            public class Slow {
                static final class Box { long v; }
                @Task static void spin(@InOut Box b, long millis) {
                    try { Thread.sleep(millis); } catch (InterruptedException e) { throw new IllegalStateException(e); }
                    b.v = millis;
                }
                public static void main(String[] args) {
                    Box touched = new Box();
                    spin(touched, 2500);
                    System.out.println("touched " + touched.v);
                    spin(new Box(), 2500);
                }
            }
            """;

    /**
     * A thread that has waited {@code waitWarning} seconds says what for — a datum, or the end of {@code main} —
     * names the unfinished tasks with what each is doing, and says what to do about a task that never ends.
     */
    @Test
    void longWait_namesTheTasksItWaitsFor_andWhatTheyAreDoing() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("slow/Slow.java", SLOW), "17");
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("waitWarning=1").classPath(classes).run("slow.Slow");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo("touched 2500\n");
        assertThat(run.stderr()).as("%s", run).containsSubsequence(
                "weft: warning: thread 'main' has waited 1 s for object slow.Slow$Box #1; the unfinished tasks it"
                        + " waits for:\nweft:   Slow.spin (#1): running on localhost for 1 s\n",
                "jstack " + run.pid(),
                "weft: warning: thread 'main' has waited 1 s at the end of main; the unfinished tasks it waits"
                        + " for:\nweft:   Slow.spin (#2): running on localhost for 1 s\n");
        assertThat(run.stderr()).doesNotContain("anonymous Runnable");

        ChildJvm.Result quiet = ChildJvm.withAgent().agentArgs("waitWarning=0").classPath(classes).run("slow.Slow");
        assertThat(quiet.exitCode()).as("%s", quiet).isZero();
        assertThat(quiet.stderr()).as("waitWarning=0 never warns").doesNotContain("warning");
    }

    /** The lines a terminal shows: a carriage return goes back to the start of the line, which is overwritten. */
    static List<String> render(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int column = 0;
        for (char c : text.toCharArray()) {
            if (c == '\n') {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                column = 0;
            } else if (c == '\r') {
                column = 0;
            } else {
                if (column < line.length()) {
                    line.setCharAt(column, c);
                } else {
                    line.append(c);
                }
                column++;
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** A program that calls no task. */
    private static final String NO_TASK = """
            package notask;
            import io.weft.api.*;
            public class NoTask {
                @Task static int square(int x) { return x * x; }
                public static void main(String[] args) {
                    System.out.println(args.length == 0 ? "usage: NoTask N" : "" + square(Integer.parseInt(args[0])));
                }
            }
            """;

    @Test
    void aRunThatCalledNoTask_stillEndsWithItsSummary_whenOneIsAskedFor() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("notask/NoTask.java", NO_TASK), "17");
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("summary=true").classPath(classes).run("notask.NoTask");
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo("usage: NoTask N\n");
        assertThat(run.stderr()).as("the end waited for the runtime to say it: %s", run)
                .contains("weft: 0 tasks, 0 failed, in ");
    }
}
