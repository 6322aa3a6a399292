package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalMachineTest {
    @Test
    void describe_matchesWhatTheJvmSees() {
        LocalMachine m = LocalMachine.describe();
        assertThat(m.computingUnits()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.operatingSystem()).isEqualTo(System.getProperty("os.name"));
        assertThat(m.memoryBytes()).isGreaterThan(Runtime.getRuntime().maxMemory() / 4);
    }

    @Test
    void architecture_usesResourcesFileVocabulary() {
        assertThat(LocalMachine.architecture("x86_64")).isEqualTo("amd64");
        assertThat(LocalMachine.architecture("amd64")).isEqualTo("amd64");
        assertThat(LocalMachine.architecture("arm64")).isEqualTo("aarch64");
        assertThat(LocalMachine.architecture("ppc64le")).isEqualTo("ppc64le");
        assertThat(LocalMachine.architecture("riscv64")).isEqualTo("riscv64");
    }
}
