package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerAgentTest {
    @Test
    void aWorkerOnThisHost_getsTheAgentAsTheJvmMakesIt_keepingTheArchivedModuleGraph() {
        assertThat(WorkerLauncher.localWorkerAgent("/w/weft-agent.jar", List.of("-XX:+UseParallelGC", "-Xss4m")))
                .isEqualTo("-agentlib:instrument=/w/weft-agent.jar=role=worker");
    }

    @Test
    void limitedModules_keepJavaagent_whichAddsJavaInstrumentToThem() {
        assertThat(WorkerLauncher.localWorkerAgent("/w/weft-agent.jar", List.of("--limit-modules=java.base")))
                .isEqualTo("-javaagent:/w/weft-agent.jar=role=worker");
    }
}
