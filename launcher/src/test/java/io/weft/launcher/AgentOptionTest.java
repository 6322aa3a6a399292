package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionTest {
    private static final Path JAR = Path.of("/opt/weft/lib/weft-agent.jar");

    @Test
    void aProgramOnTheClassPath_getsTheAgentThroughAgentlib_keepingTheArchivedModuleGraph() {
        assertThat(AgentOption.of(JAR, "", List.of("-Xmx1g", "-XX:DumpLoadedClassList=c.list")))
                .isEqualTo("-agentlib:instrument=" + JAR);
        assertThat(AgentOption.of(JAR, "role=worker", List.of()))
                .isEqualTo("-agentlib:instrument=" + JAR + "=role=worker");
    }

    @Test
    void optionsThatCouldDiffer_keepJavaagent() {
        for (String option : List.of("--limit-modules=java.base,java.logging", "--limit-modules", "@jvm.options",
                "-XX:VMOptionsFile=o.txt", "-XX:ArchiveClassesAtExit=app.jsa", "-XX:+RecordDynamicDumpInfo",
                "-Xshare:dump")) {
            assertThat(AgentOption.of(JAR, "", List.of("-Xmx1g", option))).as(option).isEqualTo("-javaagent:" + JAR);
        }
        // A variable's whole value, as JAVA_TOOL_OPTIONS gives it.
        assertThat(AgentOption.of(JAR, "role=worker", List.of("-Xmx1g --limit-modules java.base")))
                .isEqualTo("-javaagent:" + JAR + "=role=worker");
    }
}
