package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Programs an adversarial review found to hang or to print something else with the agent than without it; each now
 * prints the same. They live in {@code src/test/resources/regressions/<name>/Main.java} and run in a fresh working
 * directory each time.
 */
class ReviewRegressionsIT {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "argument-also-inside-an-array",
        "system-exit-inside-a-task",
        "barrier-inside-a-task",
        "result-identity-inside-a-task",
        "one-file-as-file-and-path",
        "failed-submission-releases-its-data",
        "out-file-not-written",
        "symbolic-link-and-directory-listing",
        "retry-after-a-reported-failure",
        "parallel-stream-inside-a-task",
        "tasks-called-after-main-returned",
        "main-that-calls-no-task-and-throws",
        "loops-around-task-calls",
        "array-written-by-another-threads-task"
    })
    void program_printsTheSameWithAndWithoutAgent(String name) throws Exception {
        String source = Files.readString(Path.of("src/test/resources/regressions", name, "Main.java"));
        Path classes = SourcePrograms.compile(Map.of("Main.java", source), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().in(TemporaryFolders.directory("weft-seq"))
                .classPath(classes).timeout(60).run("Main");
        ChildJvm.Result parallel = ChildJvm.withAgent().in(TemporaryFolders.directory("weft-par"))
                .classPath(classes).timeout(60).run("Main");
        assertThat(parallel.stdout()).as("with the agent: %s", parallel).isEqualTo(sequential.stdout());
        // Programs that catch a task's failure and go on end as their sequential run does, status included.
        assertThat(parallel.exitCode()).as("%s", parallel).isEqualTo(sequential.exitCode());
    }
}
