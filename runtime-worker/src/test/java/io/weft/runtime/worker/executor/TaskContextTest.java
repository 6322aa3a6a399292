package io.weft.runtime.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.WorkerResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskContextTest {
    private static final long GB = 1L << 30;
    /** Two AMD devices (ids 0, 1) then two NVIDIA ones (ids 2, 3), as a mixed node declares them. */
    private static final WorkerResources MIXED = new WorkerResources(8, List.of(
            new WorkerResources.Gpu("MI250", 64 * GB, "AMD"), new WorkerResources.Gpu("MI250", 64 * GB, "AMD"),
            new WorkerResources.Gpu("V100", 16 * GB, "NVIDIA"), new WorkerResources.Gpu("V100", 16 * GB, "NVIDIA")),
            -1);

    private static Map<String, String> env(int[] cores, int[] gpus, Map<String, String> inherited) {
        return TaskContext.of(new Assignment(cores, gpus, 0), MIXED).environment(inherited::get);
    }

    @Test
    void deviceIds_areNumberedAmongTheirVendorsDevices() {
        Map<String, String> env = env(new int[] {0, 1}, new int[] {1, 3}, Map.of());
        assertThat(env).containsEntry("ROCR_VISIBLE_DEVICES", "1").containsEntry("HIP_VISIBLE_DEVICES", "0")
                .as("node device 3 is CUDA's device 1").containsEntry("CUDA_VISIBLE_DEVICES", "1")
                .containsEntry("OMP_NUM_THREADS", "2").containsEntry("WEFT_CORES", "0,1")
                .containsEntry("WEFT_GPUS", "1,3");
    }

    @Test
    void taskWithoutGpus_seesNone() {
        Map<String, String> env = env(new int[] {5}, new int[0], Map.of());
        assertThat(env).containsEntry("CUDA_VISIBLE_DEVICES", "").containsEntry("ROCR_VISIBLE_DEVICES", "")
                .containsEntry("HIP_VISIBLE_DEVICES", "").containsEntry("OMP_NUM_THREADS", "1");
    }

    @Test
    void inheritedAllocation_mapsTheIds_soTheTaskStaysInsideIt() {
        Map<String, String> env = env(new int[] {0}, new int[] {2, 3},
                Map.of("CUDA_VISIBLE_DEVICES", "5,7", "ROCR_VISIBLE_DEVICES", "2,3"));
        assertThat(env).containsEntry("CUDA_VISIBLE_DEVICES", "5,7").containsEntry("ROCR_VISIBLE_DEVICES", "");
    }

    @Test
    void nodeWithoutGpus_setsNoDeviceVariables() {
        Map<String, String> env = TaskContext.of(new Assignment(new int[] {0}, new int[0], 0),
                WorkerResources.cores(2)).environment(k -> null);
        assertThat(env).doesNotContainKeys("CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES")
                .containsEntry("OMP_NUM_THREADS", "1");
    }

    @Test
    void nodeWithMoreGpusThanTheInheritedAllocation_isAProblem_namingBoth() {
        assertThat(TaskContext.allocationProblem("mix", MIXED, Map.of("CUDA_VISIBLE_DEVICES", "5")::get))
                .contains("node 'mix' declares 2 NVIDIA GPUs", "may use only 1", "CUDA_VISIBLE_DEVICES=5");
        assertThat(TaskContext.allocationProblem("mix", MIXED, Map.of("ROCR_VISIBLE_DEVICES", "")::get))
                .as("an empty list allows none").contains("2 AMD GPUs", "may use only 0");
        assertThat(TaskContext.allocationProblem("mix", MIXED,
                Map.of("CUDA_VISIBLE_DEVICES", "5,7", "ROCR_VISIBLE_DEVICES", "0,1")::get)).isNull();
        assertThat(TaskContext.allocationProblem("mix", MIXED, Map.<String, String>of()::get)).isNull();
    }
}
