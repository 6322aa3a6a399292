package io.weft.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerResourcesTest {
    @Test
    void gpus_goToAWorkerProcessAndBack_whateverTheirNamesHold() {
        List<WorkerResources.Gpu> gpus = List.of(new WorkerResources.Gpu("A100", 40L << 30, "NVIDIA"),
                new WorkerResources.Gpu("MI250: 2,x%", -1, "Advanced Micro Devices"));
        String argument = new WorkerResources(8, gpus, -1).gpusArgument();
        assertThat(WorkerResources.parseGpus(argument)).isEqualTo(gpus);
        assertThat(WorkerResources.parseGpus("")).isEmpty();
    }

    @Test
    void aMalformedGpuList_saysWhichEntry() {
        assertThatThrownBy(() -> WorkerResources.parseGpus("A100:1:NVIDIA,V100:lots:NVIDIA"))
                .hasMessageContaining("'V100:lots:NVIDIA' is not a GPU");
        assertThatThrownBy(() -> WorkerResources.parseGpus("A100"))
                .hasMessageContaining("'A100' is not a GPU");
    }
}
