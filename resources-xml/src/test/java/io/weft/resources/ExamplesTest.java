package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example files in {@code examples/resources} load and describe what their comments say. */
class ExamplesTest {
    private static final long GB = 1L << 30;

    /** {@code examples/resources}, found from the module's directory upwards. */
    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/resources");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("examples/resources not found above " + Path.of("").toAbsolutePath());
    }

    private static Deployment load(String set) throws ResourcesFileException {
        Path dir = examples().resolve(set);
        return Deployment.load(dir.resolve("resources.xml"), dir.resolve("project.xml"));
    }

    @Test
    void laptop_isOneNodeOfEightCores() throws ResourcesFileException {
        Deployment deployment = load("laptop");

        assertThat(deployment.workers()).hasSize(1);
        ComputeNode node = deployment.workers().get(0).node();
        assertThat(node.name()).isEqualTo("localhost");
        assertThat(node.cpuComputingUnits()).isEqualTo(8);
        assertThat(node.architecture()).isEqualTo(Architecture.AMD64);
        assertThat(node.memoryBytes()).isEqualTo(16 * GB);
        assertThat(node.gpuCount()).isZero();
        assertThat(deployment.workers().get(0).settings().launch()).isEqualTo(new Launch.Process());
    }

    @Test
    void heterogeneous_describesSixNodes() throws ResourcesFileException {
        Deployment deployment = load("heterogeneous");
        Resources resources = deployment.resources();

        assertThat(resources.nodes()).extracting(ComputeNode::name)
                .containsExactly("cpu1", "cpu2", "gpu1", "power1", "arm1", "amd1");
        assertThat(deployment.workers()).extracting(w -> w.node().name())
                .containsExactly("cpu1", "cpu2", "gpu1", "power1", "arm1", "amd1");
        assertThat(resources.sharedDisks()).extracting(SharedDisk::name).containsExactly("gpfs");

        Map<String, ComputeNode> nodes = new java.util.HashMap<>();
        resources.nodes().forEach(n -> nodes.put(n.name(), n));
        assertNode(nodes.get("cpu1"), Architecture.AMD64, 16, 0, null, 64 * GB, "Xeon");
        assertNode(nodes.get("cpu2"), Architecture.AMD64, 16, 0, null, 64 * GB, "Xeon");
        assertNode(nodes.get("gpu1"), Architecture.AMD64, 16, 4, "NVIDIA", 256 * GB, "Xeon", "A100");
        assertNode(nodes.get("power1"), Architecture.PPC64LE, 32, 4, "NVIDIA", 256 * GB, "Power9", "V100");
        assertNode(nodes.get("arm1"), Architecture.AARCH64, 32, 0, null, 128 * GB, "Neoverse-N1");
        assertNode(nodes.get("amd1"), Architecture.AMD64, 32, 2, "AMD", 256 * GB, "EPYC", "MI250");

        assertThat(nodes.get("gpu1").processors().get(1).memoryBytes()).isEqualTo(40 * GB);
        assertThat(nodes.get("power1").processors().get(1).memoryBytes()).isEqualTo(16 * GB);
        assertThat(nodes.get("amd1").processors().get(1).memoryBytes()).isEqualTo(64 * GB);
        assertThat(nodes.get("amd1").processors().get(1).isAmdGpu()).isTrue();

        assertThat(nodes.get("gpu1").software()).containsExactly("CUDA");
        assertThat(nodes.get("power1").software()).containsExactly("CUDA");
        assertThat(nodes.get("amd1").software()).containsExactly("ROCm");
        assertThat(nodes.get("cpu1").software()).isEmpty();

        for (ComputeNode node : resources.nodes()) {
            assertThat(node.sharedDisks()).as(node.name()).containsExactly(entry("gpfs", "/gpfs"));
            assertThat(node.operatingSystem().type()).as(node.name()).isEqualTo("Linux");
            assertThat(node.minPort()).as(node.name()).isPositive().isLessThan(node.maxPort());
        }
        assertThat(resources.nodes()).extracting(ComputeNode::minPort).doesNotHaveDuplicates();

        for (Deployment.Worker worker : deployment.workers()) {
            assertThat(worker.settings().workingDir()).isEqualTo(Path.of("/tmp/weft-work", worker.node().name()));
            assertThat(worker.settings().launch()).isEqualTo(new Launch.Process());
        }
    }

    private static void assertNode(ComputeNode node, Architecture architecture, int cores, int gpus,
            String gpuVendor, long memory, String... processors) {
        assertThat(node.architecture()).as(node.name()).isEqualTo(architecture);
        assertThat(node.cpuComputingUnits()).as(node.name()).isEqualTo(cores);
        assertThat(node.gpuCount()).as(node.name()).isEqualTo(gpus);
        assertThat(node.memoryBytes()).as(node.name()).isEqualTo(memory);
        assertThat(node.processors()).extracting(Processor::name).as(node.name()).containsExactly(processors);
        if (gpuVendor != null) {
            assertThat(node.processors().get(1).vendor()).as(node.name()).isEqualTo(gpuVendor);
        }
    }
}
