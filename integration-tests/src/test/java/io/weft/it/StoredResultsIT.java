package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Storing a task's result in a collection does not wait for it: a loop that adds each result to a list (or puts
 * it in a map, offers it to a deque, stores it in an array) runs its tasks in parallel, as the runtime's own
 * placement record shows, and prints what the sequential run prints. A loop that uses each result at once still
 * runs one task at a time, and is told so.
 */
class StoredResultsIT {
    private static final Path PROGRAMS = Path.of("src/test/resources");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"list.add", "list.set", "map.put", "deque.offer", "Collections.addAll", "array"})
    void resultsStoredAsTheyAreCalled_runInParallel(String how, @TempDir Path dir) throws Exception {
        Path classes = compile("stored-results");
        Path placements = dir.resolve("placements.jsonl");

        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).classPath(classes).timeout(60).run("Main", how);
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("threads=2,placements=" + placements)
                .in(dir).classPath(classes).timeout(60).run("Main", how);

        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        assertThat(parallel.stdout()).contains("lists [[0], [1, 1], [0, 1], [2, 2], [0, 1, 2], [3, 3]]");
        List<Placements.Entry> squares = Placements.read(placements).named("Main.square");
        assertThat(squares).hasSize(8);
        assertThat(squares).as("some of the eight tasks ran at the same time")
                .anySatisfy(a -> assertThat(squares).anySatisfy(b -> {
                    assertThat(b.task()).isNotEqualTo(a.task());
                    assertThat(a.overlaps(b)).isTrue();
                }));
        assertThat(parallel.stderr()).doesNotContain("one after another");
    }

    @Test
    void usingEachResultRightAfterItsCall_warnsOnceNamingTheLine(@TempDir Path dir) throws Exception {
        Path classes = compile("one-by-one");

        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).classPath(classes).timeout(60).run("Main");
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("threads=2").in(dir).classPath(classes)
                .timeout(60).run("Main");

        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        assertThat(parallel.stderr()).containsOnlyOnce("weft: warning: the program waited for a task while no other"
                + " task was running 16 times in a row, last at Main.main(Main.java:27), so its tasks ran one after"
                + " another. It uses each result right after calling its task: call all the tasks first");
    }

    private static Path compile(String program) throws Exception {
        String source = Files.readString(PROGRAMS.resolve(program).resolve("Main.java"));
        return SourcePrograms.compile(Map.of("Main.java", source), "17");
    }
}
