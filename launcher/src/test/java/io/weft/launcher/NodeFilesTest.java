package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.resources.ComputeNode;
import io.weft.resources.Deployment;
import io.weft.resources.Launch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The files a job's {@code weft slurm-setup} writes are those Weft reads, and say what SLURM allocated. */
class NodeFilesTest {
    @TempDir
    Path dir;

    private static final List<NodeFiles.Worker> WORKERS = List.of(
            new NodeFiles.Worker("node1", 1, 1024, 0, "/tmp/weft-job-7-node1"),
            new NodeFiles.Worker("node2", 48, 4096, 4, "/tmp/weft-job-7-node2"));

    @Test
    void generatedFiles_areReadByWeft_withTheAllocatedCpusGpusAndMemory() throws Exception {
        Path resources = Files.writeString(dir.resolve("resources.xml"), NodeFiles.resources(WORKERS, "amd64"));
        Path project = Files.writeString(dir.resolve("project.xml"),
                NodeFiles.project(WORKERS, "10.1.0.7", 18167, "/opt/weft/lib"));
        Deployment d = Deployment.load(resources, project);
        assertThat(d.project().master().host()).isEqualTo("10.1.0.7");
        assertThat(d.project().master().port()).isEqualTo(18167);
        assertThat(d.workers()).hasSize(2);
        ComputeNode n2 = d.workers().get(1).node();
        assertThat(n2.name()).isEqualTo("node2");
        assertThat(n2.cpuComputingUnits()).isEqualTo(48);
        assertThat(n2.gpuCount()).isEqualTo(4);
        assertThat(n2.memoryBytes()).isEqualTo(4096L * 1024 * 1024);
        assertThat(d.workers().get(0).node().gpuCount()).isZero();
        assertThat(d.workers()).allSatisfy(w -> assertThat(w.settings().launch()).isEqualTo(new Launch.External("srun")));
        assertThat(d.workers().get(1).settings().workingDir()).isEqualTo(Path.of("/tmp/weft-job-7-node2"));
    }

    @Test
    void masterWithoutInterface_listensEverywhere() throws Exception {
        Path resources = Files.writeString(dir.resolve("resources.xml"), NodeFiles.resources(WORKERS, ""));
        Path project = Files.writeString(dir.resolve("project.xml"), NodeFiles.project(WORKERS, "", 0, "/opt/w"));
        assertThat(Deployment.load(resources, project).project().master().host()).isEmpty();
    }

    @Test
    void workerArguments_areReadByWeftWorker_spacesAndQuotesKept() throws Exception {
        NodeFiles.Worker w = new NodeFiles.Worker("node2", 48, 4096, 2, "/tmp/my \"work\"\\dir");
        Path file = Files.writeString(dir.resolve("node2.args"), NodeFiles.workerArguments(w, "node1:18167",
                "/home/al ice/app.jar:/x", List.of("-Xmx4g", "-Dp=a b"), dir.resolve("workers/node2.log")));
        WorkerCommand c = new WorkerCommand();
        new CommandLine(c).parseArgs("@" + file);
        assertThat(c.master).isEqualTo("node1:18167");
        assertThat(c.node).isEqualTo("node2");
        assertThat(c.classPath).isEqualTo("/home/al ice/app.jar:/x");
        assertThat(c.workDir).isEqualTo(Path.of("/tmp/my \"work\"\\dir"));
        assertThat(c.cores).isEqualTo(48);
        assertThat(c.memory).isEqualTo(String.valueOf(4096L * 1024 * 1024));
        assertThat(c.gpus).isEqualTo("GPU:-1:NVIDIA,GPU:-1:NVIDIA");
        assertThat(c.jvmOptions).containsExactly("-Xmx4g", "-Dp=a b");
        assertThat(c.masterTimeout).isEqualTo("120000");
        assertThat(c.logFile).isEqualTo(dir.resolve("workers/node2.log"));
    }

    @Test
    void workers_oneOnEachNodeButTheMasters_unlessItGetsCpus() {
        SlurmAllocation a = SlurmAllocation.of(List.of("node1", "node2", "node3"),
                Map.of("SLURM_JOB_CPUS_PER_NODE", "2(x3)", "SLURM_MEM_PER_NODE", "1000"), 0);
        SlurmSetupCommand setup = new SlurmSetupCommand(Map.of("TMPDIR", "/scratch/tmp"), null);
        setup.runFolder = dir;
        assertThat(setup.workers(a, "node1", "7")).extracting(NodeFiles.Worker::node).containsExactly("node2", "node3");
        assertThat(setup.workers(a, "node1", "7").get(0).workDir()).isEqualTo("/scratch/tmp/weft-job-7-node2");
        setup.workerInMasterCpus = 1;
        List<NodeFiles.Worker> all = setup.workers(a, "node1", "7");
        assertThat(all).extracting(NodeFiles.Worker::node).containsExactly("node1", "node2", "node3");
        assertThat(all.get(0).cpus()).isEqualTo(1);
        assertThat(all.get(0).memoryMb()).as("the master's node: its worker's share of the memory").isEqualTo(500);
        setup.workerInMasterCpus = 3;
        assertThatThrownBy(() -> setup.workers(a, "node1", "7"))
                .hasMessageContaining("the master's node node1 has 2 CPUs in this job");
        setup.workerInMasterCpus = -1;
        setup.workerWorkingDir = SubmitCommand.SHARED_DISK;
        SlurmAllocation one = SlurmAllocation.of(List.of("node1"), Map.of("SLURM_JOB_CPUS_PER_NODE", "2"), 0);
        List<NodeFiles.Worker> single = setup.workers(one, "node1", "7");
        assertThat(single).extracting(NodeFiles.Worker::cpus).as("a one-node job: every CPU").containsExactly(2);
        assertThat(single.get(0).workDir()).isEqualTo(dir.resolve("work/weft-job-7-node1").toString());
    }
}
