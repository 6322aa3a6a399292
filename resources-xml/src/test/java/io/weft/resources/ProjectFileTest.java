package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading valid project files: every element, in any order, into the model. */
class ProjectFileTest {
    @TempDir
    Path dir;

    private Project read(String xml) throws ResourcesFileException {
        return ResourcesFiles.readProject(TestFiles.write(dir, "project.xml", xml));
    }

    @Test
    void everyElement_isReadIntoTheModel() throws ResourcesFileException {
        Project project = read("""
                <Project>
                  <ComputeNode Name="cpu1">
                    <LimitOfTasks>4</LimitOfTasks>
                    <WorkingDir>/tmp/weft-work/cpu1</WorkingDir>
                    <InstallDir>/opt/weft</InstallDir>
                    <Host>cpu1.cluster</Host>
                    <User>alice</User>
                    <Application>
                      <Classpath>/home/alice/app.jar</Classpath>
                      <LibraryPath>/opt/lib</LibraryPath>
                      <EnvironmentScript>/home/alice/env.sh</EnvironmentScript>
                    </Application>
                    <Launch><Ssh><Command>ssh -p 2222 {user}@{host} {command}</Command></Ssh></Launch>
                  </ComputeNode>
                  <MasterNode><Port>43000</Port><Host>master.cluster</Host></MasterNode>
                  <ComputeNode Name="cpu2">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/weft-work/cpu2</WorkingDir>
                    <Launch><Ssh/></Launch>
                  </ComputeNode>
                  <ComputeNode Name="cpu3">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/weft-work/cpu3</WorkingDir>
                    <Launch><External Launcher="srun"/></Launch>
                  </ComputeNode>
                </Project>
                """);

        assertThat(project.master()).isEqualTo(new MasterNode("master.cluster", 43000));
        assertThat(project.nodes()).extracting(ProjectNode::name).containsExactly("cpu1", "cpu2", "cpu3");
        assertThat(project.node("cpu1").orElseThrow()).isEqualTo(new ProjectNode("cpu1", "cpu1.cluster",
                Path.of("/opt/weft"), Path.of("/tmp/weft-work/cpu1"), "alice", "/home/alice/app.jar", "/opt/lib",
                "/home/alice/env.sh", 4, new Launch.Ssh("ssh -p 2222 {user}@{host} {command}"), 2, 28));
        assertThat(project.node("cpu2").orElseThrow().launch()).isEqualTo(new Launch.Ssh(Launch.Ssh.DEFAULT_COMMAND));
        assertThat(project.node("cpu3").orElseThrow().launch()).isEqualTo(new Launch.External("srun"));
    }

    @Test
    void optionalElements_haveTheirDefaults() throws ResourcesFileException {
        Project project = read("""
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="n">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                  </ComputeNode>
                  <ComputeNode Name="p">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                    <Launch><Process/></Launch>
                    <Application/>
                  </ComputeNode>
                  <ComputeNode Name="e">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                    <Launch><External/></Launch>
                  </ComputeNode>
                </Project>
                """);

        assertThat(project.master()).isEqualTo(new MasterNode("", 0));
        ProjectNode n = project.node("n").orElseThrow();
        assertThat(n).isEqualTo(new ProjectNode("n", "", Path.of("/opt/weft"), Path.of("/tmp/w"), "", "", "", "", 0,
                new Launch.Process(), 3, 25));
        assertThat(project.node("p").orElseThrow().launch()).isEqualTo(new Launch.Process());
        assertThat(project.node("e").orElseThrow().launch()).isEqualTo(new Launch.External("external"));
    }

    @Test
    void projectWithOnlyAMasterNode_hasNoWorkers() throws ResourcesFileException {
        assertThat(read("<Project><MasterNode/></Project>").nodes()).isEmpty();
    }

    @Test
    void compssOnlyContent_isAcceptedAndIgnored() throws ResourcesFileException {
        Project project = read("""
                <Project>
                  <MasterNode>
                    <Processor Name="MainProcessor"><ComputingUnits>4</ComputingUnits></Processor>
                    <Memory><Size>8</Size></Memory>
                    <Price><TimeUnit>1</TimeUnit><PricePerUnit>0.1</PricePerUnit></Price>
                  </MasterNode>
                  <ComputeNode Name="w">
                    <InstallDir>/opt/COMPSs/</InstallDir>
                    <WorkingDir>/tmp/COMPSsWorker01/</WorkingDir>
                    <User>user</User>
                    <Application>
                      <AppDir>/home/user/app</AppDir>
                      <Classpath>/home/user/app.jar</Classpath>
                      <Pythonpath>/home/user/py</Pythonpath>
                      <PythonInterpreter>python3</PythonInterpreter>
                    </Application>
                    <Adaptors>
                      <Adaptor Name="es.bsc.compss.nio.master.NIOAdaptor">
                        <SubmissionSystem><Interactive/></SubmissionSystem>
                        <Ports><MinPort>43001</MinPort><MaxPort>43002</MaxPort></Ports>
                        <User>user</User>
                      </Adaptor>
                    </Adaptors>
                  </ComputeNode>
                </Project>
                """);

        ProjectNode w = project.nodes().get(0);
        assertThat(w.classpath()).isEqualTo("/home/user/app.jar");
        assertThat(w.installDir()).isEqualTo(Path.of("/opt/COMPSs/"));
        assertThat(w.launch()).isEqualTo(new Launch.Process());
    }
}
