package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerAgentTest {
    private static final String JAR = "/w/weft-agent.jar";

    @Test
    void aWorkerOnThisHost_getsTheAgentThroughAgentlib_keepingTheArchivedModuleGraph() {
        assertThat(WorkerLauncher.localWorkerAgent(JAR, List.of("-XX:+UseParallelGC", "-Xss4m"), false))
                .isEqualTo("-agentlib:instrument=/w/weft-agent.jar=role=worker");
    }

    @Test
    void optionsThatCouldDiffer_keepJavaagent() {
        for (String option : List.of("--limit-modules=java.base", "@more-options", "-XX:VMOptionsFile=o.txt",
                "-XX:ArchiveClassesAtExit=w.jsa", "-XX:+RecordDynamicDumpInfo", "-Xshare:dump")) {
            assertThat(WorkerLauncher.localWorkerAgent(JAR, List.of("-Xss4m", option), false)).as(option)
                    .isEqualTo("-javaagent:/w/weft-agent.jar=role=worker");
        }
    }

    @Test
    void aNodeWithAnEnvironmentScript_keepsJavaagent_asTheScriptMaySetTheJvmsOptions() {
        assertThat(WorkerLauncher.localWorkerAgent(JAR, List.of(), true))
                .isEqualTo("-javaagent:/w/weft-agent.jar=role=worker");
    }
}
