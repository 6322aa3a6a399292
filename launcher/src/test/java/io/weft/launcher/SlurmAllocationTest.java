package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SlurmAllocationTest {
    private static final List<String> NODES = List.of("node1", "node2", "node3");

    @Test
    void cpusPerNode_expandsSlurmsRepeatCounts() {
        assertThat(SlurmAllocation.cpusPerNode("2(x3)")).containsExactly(2, 2, 2);
        assertThat(SlurmAllocation.cpusPerNode("48,64(x2),8")).containsExactly(48, 64, 64, 8);
        assertThat(SlurmAllocation.cpusPerNode("1")).containsExactly(1);
        assertThatThrownBy(() -> SlurmAllocation.cpusPerNode("2(y3)"))
                .hasMessageContaining("cannot read '2(y3)'; expected counts such as 2(x3),1");
    }

    @Test
    void memory_comesFromMemPerNode_elsePerCpuTimesTheFewestCpus() {
        assertThat(SlurmAllocation.of(NODES, Map.of("SLURM_JOB_CPUS_PER_NODE", "2(x3)", "SLURM_MEM_PER_NODE",
                "4096"), 0).memoryMb()).isEqualTo(4096);
        assertThat(SlurmAllocation.of(NODES, Map.of("SLURM_JOB_CPUS_PER_NODE", "4,2(x2)", "SLURM_MEM_PER_CPU",
                "1000"), 0).memoryMb()).isEqualTo(2000);
        assertThat(SlurmAllocation.of(NODES, Map.of("SLURM_JOB_CPUS_PER_NODE", "2(x3)"), 0).memoryMb())
                .isEqualTo(-1);
    }

    @Test
    void gpus_areSlurmsCountOnTheNode_elseWhatWasAsked() {
        assertThat(SlurmAllocation.of(NODES, Map.of("SLURM_JOB_CPUS_PER_NODE", "2(x3)", "SLURM_GPUS_ON_NODE", "2"),
                4).gpus()).isEqualTo(2);
        assertThat(SlurmAllocation.of(NODES, Map.of("SLURM_JOB_CPUS_PER_NODE", "2(x3)"), 4).gpus()).isEqualTo(4);
    }

    @Test
    void aSmallerAllocationThanAsked_isNamed() {
        SlurmAllocation a = SlurmAllocation.of(List.of("node1", "node2"), Map.of("SLURM_JOB_CPUS_PER_NODE", "2,1",
                "SLURM_MEM_PER_NODE", "100", "SLURM_GPUS_ON_NODE", "1"), 0);
        assertThatThrownBy(() -> a.requireAtLeast(3, 0, 0, 0)).hasMessage(
                "SLURM allocated 2 nodes (node1,node2), fewer than the 3 asked for (--nodes 3)");
        assertThatThrownBy(() -> a.requireAtLeast(2, 2, 0, 0)).hasMessage(
                "SLURM allocated 1 CPUs on node2, fewer than the 2 asked for (--cpus-per-node 2)");
        assertThatThrownBy(() -> a.requireAtLeast(2, 1, 200, 0)).hasMessage(
                "SLURM allocated 100 MiB per node, less than the 200 MiB asked for (--node-memory)");
        assertThatThrownBy(() -> a.requireAtLeast(2, 1, 0, 2)).hasMessage(
                "SLURM allocated 1 GPUs per node, fewer than the 2 asked for (--gpus-per-node 2)");
        assertThat(a.requireAtLeast(2, 1, 100, 1)).isSameAs(a);
    }

    @Test
    void cpusOfAnotherNumberOfNodes_areRefused() {
        assertThatThrownBy(() -> SlurmAllocation.of(NODES, Map.of("SLURM_JOB_CPUS_PER_NODE", "2(x2)"), 0))
                .hasMessageContaining("gives the CPUs of 2 nodes, but the job has 3");
        assertThatThrownBy(() -> SlurmAllocation.of(NODES, Map.of(), 0))
                .hasMessageContaining("SLURM_JOB_CPUS_PER_NODE is not set");
    }

    @Test
    void timeLimits_areReadAsSlurmWritesThem() {
        assertThat(SlurmTime.limitSeconds("30", "--time")).isEqualTo(1800);
        assertThat(SlurmTime.limitSeconds("30:00", "--time")).isEqualTo(1800);
        assertThat(SlurmTime.limitSeconds("1:30:00", "--time")).isEqualTo(5400);
        assertThat(SlurmTime.limitSeconds("2-0", "--time")).isEqualTo(2 * 86400);
        assertThat(SlurmTime.limitSeconds("2-12:00", "--time")).isEqualTo(2 * 86400 + 12 * 3600);
        assertThat(SlurmTime.limitSeconds("1h30m", "--time")).isEqualTo(5400);
        assertThat(SlurmTime.limitSeconds("90s", "--time")).isEqualTo(90);
        assertThatThrownBy(() -> SlurmTime.limitSeconds("0", "--time")).hasMessageContaining("longer than zero");
        assertThat(SlurmTime.left("0:45")).isEqualTo(OptionalLong.of(45));
        assertThat(SlurmTime.left("1-02:00:00")).isEqualTo(OptionalLong.of(93600));
        assertThat(SlurmTime.left("UNLIMITED\n")).isEmpty();
        assertThat(SlurmTime.left("NOT_SET")).isEmpty();
    }

    @Test
    void mastersLimit_isTheTimeLeftLessTheStopMargin_orTheUsersIfLower() {
        assertThat(SlurmSetupCommand.masterLimit(OptionalLong.of(60), null)).isEqualTo(OptionalLong.of(40));
        assertThat(SlurmSetupCommand.masterLimit(OptionalLong.of(3600), null)).isEqualTo(OptionalLong.of(3300));
        assertThat(SlurmSetupCommand.masterLimit(OptionalLong.of(3600), 600L)).isEqualTo(OptionalLong.of(600));
        assertThat(SlurmSetupCommand.masterLimit(OptionalLong.empty(), 600L)).isEqualTo(OptionalLong.of(600));
        assertThat(SlurmSetupCommand.masterLimit(OptionalLong.empty(), null)).isEmpty();
        assertThatThrownBy(() -> SlurmSetupCommand.masterLimit(OptionalLong.of(22), null))
                .hasMessageContaining("the job has 22 s left, too little");
    }

    @Test
    void jobExitStatus_isTheScriptsOr128PlusTheSignal() {
        assertThat(JobWatch.exitStatus("COMPLETED", "0:0")).isZero();
        assertThat(JobWatch.exitStatus("FAILED", "124:0")).isEqualTo(124);
        assertThat(JobWatch.exitStatus("TIMEOUT", "0:15")).isEqualTo(143);
        assertThat(JobWatch.exitStatus("CANCELLED", "0:0")).isEqualTo(1);
        assertThat(JobWatch.fields("JobId=7 JobName=weft-Main JobState=PENDING Reason=Resources ExitCode=0:0"))
                .containsEntry("JobState", "PENDING").containsEntry("Reason", "Resources")
                .containsEntry("ExitCode", "0:0");
    }

    @Test
    void freePort_isBelowTheEphemeralRange() {
        int[] range = FreePort.ephemeralRange(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        int port = FreePort.pick(new java.util.Random(1));
        if (range[0] - FreePort.LOWEST >= 1000) {
            assertThat(port).isBetween(FreePort.LOWEST, range[0] - 1);
        }
        assertThat(FreePort.ephemeralRange(java.nio.file.Path.of("/no/such/file"))).containsExactly(32768, 60999);
    }
}
