package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Task Bench harness ({@code io.weft.benchmarks.taskbench.TaskBench -all}: every dependence pattern on a small
 * graph, one checksum each) prints the same with the agent as without it: in local mode, with one executor
 * serving the newest task first, and with two worker processes. Each task also checks that it got exactly the
 * outputs of its dependencies, so a wrong edge fails the run rather than only changing a checksum.
 */
class TaskBenchIT {
    private static final Path BENCHMARKS =
            Path.of(System.getProperty("weft.benchmarks.classes", "../benchmarks/target/classes"));
    private static final String MAIN = "io.weft.benchmarks.taskbench.TaskBench";
    private static final String[] ARGS =
            "-all -width 8 -steps 12 -kernel load_imbalance -iter 50 -imbalance 1 -output 64".split(" ");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"summary=true", "threads=1,scheduler=lifo", "workers=2"})
    void everyPattern_printsTheSameChecksumsWithAndWithoutAgent(String agentArgs) throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(BENCHMARKS).run(MAIN, ARGS);
        assertThat(sequential.exitCode()).as("sequential run: %s", sequential).isZero();
        assertThat(sequential.stdout().lines()).hasSize(11)
                .allMatch(l -> l.matches("[a-z_0-9]+ checksum [0-9a-f]{16}"));

        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs(agentArgs).classPath(BENCHMARKS).run(MAIN, ARGS);
        assertThat(parallel.exitCode()).as("run with agent (%s): %s", agentArgs, parallel).isZero();
        assertThat(parallel.stdout()).as("stdout with agent (%s)", agentArgs).isEqualTo(sequential.stdout());
        if (agentArgs.contains("summary")) {
            // 11 graphs of 12 steps of up to 8 points went through the runtime, not one plain call.
            assertThat(parallel.stderr()).containsPattern("weft: [1-9][0-9]{2,} tasks, 0 failed");
        }
    }
}
