package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link DescriptionFiles} writes reads back to the description it was written from. */
class DescriptionFilesTest {
    @TempDir
    Path folder;

    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("examples/resources");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("examples/resources not found");
    }

    private Deployment writtenAndRead(Deployment d) throws Exception {
        Path resources = Files.writeString(folder.resolve("resources.xml"),
                DescriptionFiles.resourcesXml(d.resources(), "written by a test"));
        Path project = Files.writeString(folder.resolve("project.xml"),
                DescriptionFiles.projectXml(d.project(), Path.of("/opt/weft"), "written by a test"));
        return Deployment.load(resources, project);
    }

    @Test
    void aLocalCluster_readsBackAsTheSameNodes() throws Exception {
        LocalMachine machine = new LocalMachine("host", 3, 8L << 30, "amd64", "Linux");
        Deployment generated = Deployment.localCluster(machine, 2);

        Deployment read = writtenAndRead(generated);

        assertThat(withoutLines(read.resources().nodes())).isEqualTo(withoutLines(generated.resources().nodes()));
        assertThat(read.project().nodes()).allSatisfy(n -> {
            assertThat(n.installDir()).isEqualTo(Path.of("/opt/weft"));
            assertThat(n.launch()).isEqualTo(new Launch.Process());
        });
        assertThat(read.project().nodes()).extracting(ProjectNode::workingDir)
                .isEqualTo(generated.project().nodes().stream().map(ProjectNode::workingDir).toList());
        assertThat(read.project().master()).isEqualTo(generated.project().master());
    }

    @Test
    void theHeterogeneousExample_readsBackAsItself() throws Exception {
        Path dir = examples().resolve("heterogeneous");
        Deployment original = Deployment.load(dir.resolve("resources.xml"), dir.resolve("project.xml"));

        Deployment read = writtenAndRead(original);

        assertThat(withoutLines(read.resources().nodes())).isEqualTo(withoutLines(original.resources().nodes()));
        assertThat(read.resources().sharedDisks()).isEqualTo(original.resources().sharedDisks());
        assertThat(withoutProjectLines(read.project().nodes()))
                .isEqualTo(withoutProjectLines(original.project().nodes()));
        assertThat(read.project().master()).isEqualTo(original.project().master());
    }

    private static List<ComputeNode> withoutLines(List<ComputeNode> nodes) {
        return nodes.stream().map(n -> new ComputeNode(n.name(), n.processors(), n.memoryBytes(), n.storageBytes(),
                n.storageType(), n.operatingSystem(), n.software(), n.sharedDisks(), n.minPort(), n.maxPort(), 0, 0))
                .toList();
    }

    private static List<ProjectNode> withoutProjectLines(List<ProjectNode> nodes) {
        return nodes.stream().map(n -> new ProjectNode(n.name(), n.host(), n.installDir(), n.workingDir(), n.user(),
                n.classpath(), n.libraryPath(), n.environmentScript(), n.limitOfTasks(), n.launch(), 0, 0)).toList();
    }
}
