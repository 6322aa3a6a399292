package io.weft.resources;

import static io.weft.resources.TestFiles.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pairing a project with its resources. */
class DeploymentTest {
    private static final String RESOURCES = """
            <ResourcesList>
              <ComputeNode Name="cpu1"><Processor Name="P"><ComputingUnits>8</ComputingUnits></Processor></ComputeNode>
              <ComputeNode Name="cpu2"><Processor Name="P"><ComputingUnits>8</ComputingUnits></Processor></ComputeNode>
            </ResourcesList>
            """;

    @TempDir
    Path dir;

    @Test
    void projectNodes_arePairedWithTheirHardware_inProjectOrder() throws ResourcesFileException {
        Path resources = TestFiles.write(dir, "resources.xml", RESOURCES);
        Path project = TestFiles.write(dir, "project.xml", """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu2"><InstallDir>/opt/weft</InstallDir><WorkingDir>/tmp</WorkingDir>
                    <LimitOfTasks>3</LimitOfTasks></ComputeNode>
                  <ComputeNode Name="cpu1"><InstallDir>/opt/weft</InstallDir><WorkingDir>/tmp</WorkingDir></ComputeNode>
                </Project>
                """);

        Deployment deployment = Deployment.load(resources, project);

        assertThat(deployment.workers()).extracting(w -> w.node().name()).containsExactly("cpu2", "cpu1");
        assertThat(deployment.workers()).extracting(Deployment.Worker::taskSlots).containsExactly(3, 8);
    }

    @Test
    void withoutProject_everyNodeIsUsed() throws ResourcesFileException {
        Deployment deployment = Deployment.load(TestFiles.write(dir, "resources.xml", RESOURCES), null);

        assertThat(deployment.workers()).extracting(w -> w.node().name()).containsExactly("cpu1", "cpu2");
    }

    @Test
    void projectNodeMissingFromResources_isRejectedAtTheProjectNode() {
        Path resources = TestFiles.write(dir, "resources.xml", RESOURCES);
        Path project = TestFiles.write(dir, "project.xml", """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu3">
                    <InstallDir>/opt/weft</InstallDir><WorkingDir>/tmp</WorkingDir>
                  </ComputeNode>
                </Project>
                """);

        ResourcesFileException e = assertThrows(ResourcesFileException.class,
                () -> Deployment.load(resources, project));

        assertProblem(e, "project.xml", 3, 28, "<ComputeNode Name=\"cpu3\">",
                "no compute node of that name in the resources file", "[cpu1, cpu2]");
    }
}
