package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every example prints exactly the same with the agent as without it — with the default number of executor
 * threads and with one, which serialises tasks in a different order.
 */
class ExamplesIT {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "io.weft.examples.increment.Increment | 5",
        "io.weft.examples.matmul.Matmul       | 4 32",
        "io.weft.examples.matmul.Matmul       | 3 17",
        "io.weft.examples.wordcount.WordCount | 8 2000",
        "io.weft.examples.wordcount.WordCount | 5 300",
        "io.weft.examples.kmeans.KMeans       | 4 1000 4 5",
        "io.weft.examples.kmeans.KMeans       | 3 500 3 4"
    })
    void example_printsTheSameWithAndWithoutAgent(String mainClass, String args) throws Exception {
        String[] argv = args.split(" ");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(mainClass, argv);
        assertThat(sequential.exitCode()).as("sequential run: %s", sequential).isZero();
        assertThat(sequential.stdout()).isNotBlank();

        for (String agentArgs : new String[] {"summary=true", "threads=1,scheduler=lifo"}) {
            ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs(agentArgs).classPath(ChildJvm.EXAMPLES)
                    .run(mainClass, argv);
            assertThat(parallel.exitCode()).as("run with agent (%s): %s", agentArgs, parallel).isZero();
            assertThat(parallel.stdout()).as("stdout with agent (%s)", agentArgs).isEqualTo(sequential.stdout());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"io.weft.examples.matmul.Matmul", "io.weft.examples.wordcount.WordCount"})
    void example_reallyRunsTasksOnExecutorThreads(String mainClass) throws Exception {
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs("summary=true").classPath(ChildJvm.EXAMPLES)
                .run(mainClass);
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        // The summary counts tasks that went through the runtime; a silently un-instrumented run shows none.
        assertThat(parallel.stderr()).containsPattern("weft: [1-9][0-9]* tasks, 0 failed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"io.weft.examples.increment.Increment"})
    void fileExample_leavesNoTemporaryFiles(String mainClass) throws Exception {
        Path dir = TemporaryFolders.directory("weft-increment");
        ChildJvm.Result parallel = ChildJvm.withAgent().classPath(ChildJvm.EXAMPLES)
                .run(mainClass, "6", "0", dir.toString());
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".weft-"));
        }
    }
}
