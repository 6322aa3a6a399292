package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a user sees when a task can never run, or a resources file or option is wrong: a clear error, at once. */
class ResourcesIT {
    private static final String PROGRAM = """
            import io.weft.api.*;

            public class Main {
                static final class Cell { long value; }

                @Task
                static void plain(@InOut Cell c) { c.value++; }

                @Task @Constraint(processorArchitecture = "ppc64le")
                static void onPower(@InOut Cell c) { c.value += 10; }

                @Task @Constraint(gpus = 8, gpuMemory = "${WEFT_TEST_GPU_MEMORY:-16GB}")
                static void onEightGpus(@InOut Cell c) { c.value += 100; }

                public static void main(String[] args) {
                    Cell c = new Cell();
                    plain(c);
                    switch (args[0]) {
                        case "power" -> onPower(c);
                        case "gpus" -> onEightGpus(c);
                        default -> { }
                    }
                    System.out.println("value " + c.value);
                }
            }
            """;

    private static Path program() throws Exception {
        return SourcePrograms.compile(Map.of("Main.java", PROGRAM), "17");
    }

    @Test
    void taskNoNodeCanRun_failsAtTheCall_namingTheConstraintAndTheClosestNode() throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().classPath(program()).timeout(60).run("Main", "power");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stdout()).doesNotContain("value");
        assertThat(r.stderr()).contains("UnschedulableTaskException", "task Main.onPower cannot run on any node",
                "processorArchitecture = ppc64le", "localhost: unmet processorArchitecture = ppc64le (is amd64)");
    }

    @Test
    void onACluster_theMessageListsTheClosestNodesFirst() throws Exception {
        Path resources = HeterogeneousIT.RESOURCES.resolve("resources.xml").toAbsolutePath();
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("resources=" + resources).classPath(program()).timeout(60)
                .run("Main", "gpus");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stderr()).contains("task Main.onEightGpus cannot run on any node of this run (6 nodes)",
                "needs gpus = 8, gpuMemory = 16 GB");
        // The GPU nodes miss one requirement (too few GPUs); the CPU nodes miss it too, with none at all.
        String closest = r.stderr().substring(r.stderr().indexOf("closest nodes:"));
        assertThat(closest.lines().skip(1).limit(3).map(String::trim))
                .allMatch(l -> l.startsWith("gpu1:") || l.startsWith("power1:") || l.startsWith("amd1:"));
    }

    @Test
    void constrainedTask_runsWhereItFits_andThePlainOneToo() throws Exception {
        Path resources = HeterogeneousIT.RESOURCES.resolve("resources.xml").toAbsolutePath();
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("resources=" + resources).classPath(program()).timeout(60)
                .run("Main", "power");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo("value 11\n");
    }

    @Test
    void brokenResourcesFile_stopsBeforeMain_withFileLineAndColumn() throws Exception {
        Path dir = TemporaryFolders.directory("weft-resources");
        Path resources = dir.resolve("resources.xml");
        Files.writeString(resources, """
                <ResourcesList>
                  <ComputeNode Name="n1">
                    <Processor Name="Xeon">
                      <ComputingUnits>8</ComputingUnits>
                      <Architecture>sparc</Architecture>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("resources=" + resources).classPath(program()).timeout(60)
                .run("Main", "none");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("weft: error: " + resources + ":5:").contains("sparc", "aarch64");
    }

    @Test
    void projectNodeMissingFromResources_isNamedWithItsLine() throws Exception {
        Path dir = TemporaryFolders.directory("weft-project");
        Path project = dir.resolve("project.xml");
        Files.writeString(project, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu9">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/weft</WorkingDir>
                  </ComputeNode>
                </Project>
                """);
        Path resources = HeterogeneousIT.RESOURCES.resolve("resources.xml").toAbsolutePath();
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("resources=" + resources + ",project=" + project)
                .classPath(program()).timeout(60).run("Main", "none");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.stderr()).contains(project + ":3:", "cpu9", "cpu1");
    }

    @Test
    void misspelledOption_suggestsTheRightOne() throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().jvmOption("-Dweft.resource=x.xml").classPath(program()).timeout(60)
                .run("Main", "none");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("unknown option '-Dweft.resource'; did you mean '-Dweft.resources'?");
    }

    /**
     * A task that needs both cores of a node, called while another thread keeps two chains of one-core tasks
     * going: it must get the node (a reservation), not wait for ever behind tasks that keep fitting.
     */
    @Test
    void wideTask_isNotStarvedByAStreamOfSmallOnes() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Wide.java", """
                import io.weft.api.*;

                public class Wide {
                    public static final class Box { public final long v; public Box(long v) { this.v = v; } }
                    static volatile boolean done;

                    @Task
                    static Box step(Box x) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                        return new Box(x.v + 1);
                    }

                    @Task @Constraint(computingUnits = 2)
                    static long wide(long x) { return x * 2; }

                    public static void main(String[] args) throws Exception {
                        Thread producer = new Thread(() -> {
                            Box[] r = { new Box(0), new Box(0) };
                            while (!done) {
                                for (int c = 0; c < 2; c++) r[c] = step(r[c]);
                            }
                        });
                        producer.start();
                        Thread.sleep(50);
                        long w = wide(21);
                        done = true;
                        producer.join();
                        System.out.println("wide " + w);
                    }
                }
                """), "17");
        Path dir = TemporaryFolders.directory("weft-wide");
        Path resources = dir.resolve("resources.xml");
        Files.writeString(resources, """
                <ResourcesList>
                  <ComputeNode Name="n1">
                    <Processor Name="Xeon">
                      <ComputingUnits>2</ComputingUnits>
                      <Architecture>amd64</Architecture>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);
        ChildJvm.Result r = ChildJvm.withAgent().agentArgs("resources=" + resources).classPath(classes).timeout(90)
                .run("Wide");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).isEqualTo("wide 42\n");
    }
}
