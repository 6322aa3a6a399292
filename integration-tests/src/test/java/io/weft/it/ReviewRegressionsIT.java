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
        "parallel-stream-inside-a-task"
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

    /**
     * A task that calls {@code System.exit(3)} on a worker process ends the program with status 3, as it does in
     * the program's own JVM, rather than run again on another worker (and end that one too) while main waits.
     */
    @org.junit.jupiter.api.Test
    void systemExitInATask_onAWorkerProcess_endsTheProgramWithItsStatus() throws Exception {
        String source = Files.readString(Path.of("src/test/resources/regressions/system-exit-inside-a-task/Main.java"));
        Path classes = SourcePrograms.compile(Map.of("Main.java", source), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().in(TemporaryFolders.directory("weft-seq"))
                .classPath(classes).timeout(60).run("Main");
        long start = System.nanoTime();
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("workers=2").in(TemporaryFolders.directory("weft-par"))
                .classPath(classes).timeout(60).run("Main");
        assertThat(parallel.exitCode()).as("%s", parallel).isEqualTo(sequential.exitCode()).isEqualTo(3);
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        assertThat(parallel.stderr()).contains("called System.exit(3) on worker worker");
        assertThat(System.nanoTime() - start).as("it ends at once, not after main's sleep and a retry")
                .isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
    }
}
