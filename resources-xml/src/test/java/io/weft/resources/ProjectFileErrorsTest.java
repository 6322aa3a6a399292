package io.weft.resources;

import static io.weft.resources.TestFiles.assertProblem;
import static io.weft.resources.TestFiles.projectError;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of mistake in a project file is reported as {@code file:line:column: problem}. */
class ProjectFileErrorsTest {
    private static final String FILE = "project.xml";

    @TempDir
    Path dir;

    @Test
    void emptyFile_isReportedAtLineZero() {
        assertProblem(projectError(dir, ""), FILE, 0, 0, "the file is empty", "starts with <Project>");
    }

    @Test
    void resourcesFileGivenAsProject_saysSo() {
        ResourcesFileException e = projectError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1"/>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 1, 16, "this is a resources file (root element <ResourcesList>), not a project file",
                "a project file starts with <Project>");
    }

    @Test
    void limitOfTasksZero_isRejected() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/weft-work</WorkingDir>
                    <LimitOfTasks>0</LimitOfTasks>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 6, 19, "<LimitOfTasks> on node 'cpu1': found 0", "expected a whole number of at least 1");
    }

    @Test
    void duplicatedProjectNode_pointsAtTheSecond() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir><WorkingDir>/tmp/a</WorkingDir>
                  </ComputeNode>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir><WorkingDir>/tmp/b</WorkingDir>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 6, 28, "<ComputeNode Name=\"cpu1\">: duplicated project node 'cpu1'",
                "the first <ComputeNode Name=\"cpu1\"> is at line 3, column 28");
    }

    @Test
    void missingMasterNode_isRejectedAtTheRoot() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir><WorkingDir>/tmp/a</WorkingDir>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 1, 10, "<Project> has no <MasterNode>; it is required", "add <MasterNode/>");
    }

    @Test
    void twoMasterNodes_areRejected() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <MasterNode><Port>43000</Port></MasterNode>
                </Project>
                """);

        assertProblem(e, FILE, 3, 15, "<MasterNode>: given twice; the first is at line 2, column 16");
    }

    @Test
    void missingWorkingDir_isRejectedAtTheNode() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 3, 28, "<ComputeNode Name=\"cpu1\"> has no <WorkingDir>; it is required");
    }

    @Test
    void missingInstallDir_isRejectedAtTheNode() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <WorkingDir>/tmp/w</WorkingDir>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 3, 28, "<ComputeNode Name=\"cpu1\"> has no <InstallDir>; it is required");
    }

    @Test
    void emptyWorkingDir_isRejected() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>  </WorkingDir>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 5, 17, "<WorkingDir> on node 'cpu1' is empty; expected a directory");
    }

    @Test
    void twoLaunchMethods_areRejected() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                    <Launch><Process/><Ssh/></Launch>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 6, 29, "unexpected element <Ssh> in <Launch> on node 'cpu1'",
                "nothing more is accepted there");
    }

    @Test
    void unknownLaunchMethod_isRejectedWithTheAcceptedOnes() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                    <Launch><Slurm/></Launch>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 6, 21, "unexpected element <Slurm> in <Launch> on node 'cpu1'",
                "expected <Process>, <Ssh> or <External>");
    }

    @Test
    void sshCommandWithoutCommandPlaceholder_isRejected() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                    <Launch>
                      <Ssh><Command>ssh {host}</Command></Ssh>
                    </Launch>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 7, 21, "<Command> in <Ssh> on node 'cpu1': found 'ssh {host}'",
                "no {command} placeholder", Launch.Ssh.DEFAULT_COMMAND);
    }

    @Test
    void masterPortOutOfRange_isRejected() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode>
                    <Port>-1</Port>
                  </MasterNode>
                </Project>
                """);

        assertProblem(e, FILE, 3, 11, "<Port> in <MasterNode>: found -1", "from 0 to 65535 (0: any free port)");
    }

    @Test
    void compssCloudSection_isNamedAsUnsupported() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <Cloud><InitialVMs>1</InitialVMs></Cloud>
                </Project>
                """);

        assertProblem(e, FILE, 3, 10, "unexpected element <Cloud> in <Project>",
                "COMPSs' <Cloud> is not supported by Weft", "expected <MasterNode> or <ComputeNode>");
    }

    @Test
    void misspeltChild_suggestsTheRightOne() {
        ResourcesFileException e = projectError(dir, """
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="cpu1">
                    <InstallDir>/opt/weft</InstallDir>
                    <WorkingDir>/tmp/w</WorkingDir>
                    <LimitOfTask>2</LimitOfTask>
                  </ComputeNode>
                </Project>
                """);

        assertProblem(e, FILE, 6, 18, "unexpected element <LimitOfTask> in <ComputeNode Name=\"cpu1\">",
                "did you mean <LimitOfTasks>?");
    }
}
