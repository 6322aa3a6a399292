package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The heterogeneous cluster of {@code examples/resources/heterogeneous}, as six worker processes (its project file
 * starts each node with {@code <Process/>}): each task runs only
 * on a node that satisfies its constraints, with the implementation that node can run, on cores and devices no
 * other running task holds; and the program prints what it prints without the agent.
 */
class HeterogeneousIT {
    static final Path RESOURCES = Path.of(System.getProperty("weft.examples.resources",
            "../examples/resources")).resolve("heterogeneous");
    private static final Map<String, Integer> CORES = Map.of("cpu1", 16, "cpu2", 16, "gpu1", 16, "power1", 32,
            "arm1", 32, "amd1", 32);
    private static final Map<String, Integer> GPUS = Map.of("gpu1", 4, "power1", 4, "amd1", 2);

    @Test
    void heterogeneousExample_runsEachTaskOnlyWhereItMay_andPrintsTheSequentialResult() throws Exception {
        String main = "io.weft.examples.heterogeneous.Heterogeneous";
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(main, "24");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        Path record = TemporaryFolders.file("weft-placements", ".jsonl");
        ChildJvm.Result parallel = ChildJvm.withAgent()
                .agentArgs("resources=" + RESOURCES.resolve("resources.xml").toAbsolutePath()
                        + ",project=" + RESOURCES.resolve("project.xml").toAbsolutePath()
                        + ",placements=" + record + ",summary=true")
                .classPath(ChildJvm.EXAMPLES).run(main, "24");
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        assertThat(parallel.stderr()).contains("on 6 nodes");

        Placements placements = Placements.read(record);
        assertThat(placements.entries()).hasSize(6 * 24).allMatch(e -> !e.failed() && e.attempt() == 1);
        assertThat(nodes(placements.named("Kernels.onPower"))).containsExactly("power1");
        assertThat(nodes(placements.named("Kernels.onArm"))).containsExactly("arm1");
        assertThat(nodes(placements.named("Kernels.onRocm"))).containsExactly("amd1");
        assertThat(placements.named("Kernels.onRocm")).allMatch(e -> e.gpus().size() == 1);
        // Two GPUs with at least 16 GB each: the A100, V100 and MI250 nodes qualify.
        assertThat(nodes(placements.named("Kernels.onTwoGpus"))).isSubsetOf("gpu1", "power1", "amd1");
        assertThat(placements.named("Kernels.onTwoGpus")).allMatch(e -> e.gpus().size() == 2);
        assertThat(placements.named("Kernels.wide")).allMatch(e -> e.cores().size() == 4);
        // The GPU alternative of checksum runs only where there is a GPU; nodes without one run the task itself.
        // Which nodes the checksums land on depends on when each node frees its cores (they may all go to one), but
        // a GPU node that ran two or more has tried both implementations (each is tried in turn on a kind of node).
        List<Placements.Entry> checksums = placements.named("Kernels.checksum");
        assertThat(checksums.stream().filter(e -> e.implementation().equals("Kernels.checksumOnGpu"))
                .map(Placements.Entry::node)).allMatch(GPUS::containsKey);
        for (String gpuNode : GPUS.keySet()) {
            List<Placements.Entry> there = checksums.stream().filter(e -> e.node().equals(gpuNode)).toList();
            if (there.size() >= 2) {
                assertThat(there).as("checksums on %s", gpuNode)
                        .anyMatch(e -> e.implementation().equals("Kernels.checksumOnGpu"));
            }
        }
        assertThat(checksums).filteredOn(e -> !GPUS.containsKey(e.node()))
                .allMatch(e -> e.implementation().equals("Kernels.checksum") && e.gpus().isEmpty());
        assertThat(checksums).filteredOn(e -> e.implementation().equals("Kernels.checksumOnGpu"))
                .allMatch(e -> e.gpus().size() == 1);
        assertWithinNodes(placements);
        assertNoSharing(placements);
    }

    /**
     * Hundreds of tasks of mixed needs (1 to 4 cores, 0 to 2 GPUs) running at once: at every moment each core and
     * each device of a node belongs to at most one task.
     */
    @Test
    void underLoad_noTwoRunningTasksShareACoreOrADevice() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Load.java", """
                import io.weft.api.*;
                import java.util.*;

                public class Load {
                    static final class Cell { long value; }

                    @Task @Constraint(gpus = 1)
                    static void oneGpu(@InOut Cell c, int i) throws Exception { Thread.sleep(2); c.value += i; }

                    @Task @Constraint(gpus = 2, computingUnits = 2)
                    static void twoGpus(@InOut Cell c, int i) throws Exception { Thread.sleep(3); c.value += 2 * i; }

                    @Task @Constraint(computingUnits = 4)
                    static void fourCores(@InOut Cell c, int i) throws Exception { Thread.sleep(2); c.value += 3 * i; }

                    @Task
                    static void oneCore(@InOut Cell c, int i) throws Exception { Thread.sleep(1); c.value += 5 * i; }

                    public static void main(String[] args) throws Exception {
                        List<Cell> cells = new ArrayList<>();
                        for (int i = 0; i < 600; i++) {
                            Cell c = new Cell();
                            cells.add(c);
                            switch (i % 4) {
                                case 0 -> oneGpu(c, i);
                                case 1 -> twoGpus(c, i);
                                case 2 -> fourCores(c, i);
                                default -> oneCore(c, i);
                            }
                        }
                        long total = 0;
                        for (Cell c : cells) total += c.value;
                        System.out.println("total " + total);
                    }
                }
                """), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("Load");
        Path record = TemporaryFolders.file("weft-placements", ".jsonl");
        ChildJvm.Result parallel = ChildJvm.withAgent()
                .agentArgs("resources=" + RESOURCES.resolve("resources.xml").toAbsolutePath()
                        + ",placements=" + record)
                .classPath(classes).run("Load");
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());
        Placements placements = Placements.read(record);
        assertThat(placements.entries()).hasSize(600);
        assertThat(placements.named("Load.twoGpus")).allMatch(e -> e.gpus().size() == 2 && e.cores().size() == 2);
        assertThat(placements.named("Load.fourCores")).allMatch(e -> e.cores().size() == 4 && e.gpus().isEmpty());
        assertWithinNodes(placements);
        long overlapping = assertNoSharing(placements);
        assertThat(overlapping).as("tasks really ran at the same time on one node").isGreaterThan(100);
    }

    private static Set<String> nodes(List<Placements.Entry> entries) {
        return entries.stream().map(Placements.Entry::node).collect(Collectors.toSet());
    }

    private static void assertWithinNodes(Placements placements) {
        for (Placements.Entry e : placements.entries()) {
            assertThat(e.cores()).as("cores of %s", e).isNotEmpty().doesNotHaveDuplicates()
                    .allMatch(c -> c >= 0 && c < CORES.get(e.node()));
            assertThat(e.gpus()).as("gpus of %s", e).doesNotHaveDuplicates()
                    .allMatch(g -> g >= 0 && g < GPUS.getOrDefault(e.node(), 0));
        }
    }

    /** Asserts that tasks running at the same time on a node hold disjoint cores and devices; counts such pairs. */
    private static long assertNoSharing(Placements placements) {
        long overlapping = 0;
        List<Placements.Entry> all = placements.entries();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Placements.Entry a = all.get(i);
                Placements.Entry b = all.get(j);
                if (a.node().equals(b.node()) && a.overlaps(b)) {
                    overlapping++;
                    assertThat(a.cores()).as("cores of %s and %s, running together", a, b)
                            .noneMatch(b.cores()::contains);
                    assertThat(a.gpus()).as("gpus of %s and %s, running together", a, b)
                            .noneMatch(b.gpus()::contains);
                }
            }
        }
        return overlapping;
    }
}
