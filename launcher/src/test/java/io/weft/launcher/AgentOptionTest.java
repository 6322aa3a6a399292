package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentOptionTest {
    private static final Path JAR = Path.of("/opt/weft/lib/weft-agent.jar");

    @Test
    void aProgramOnTheClassPath_getsTheAgentAsTheJvmMakesIt_keepingTheArchivedModuleGraph() {
        assertThat(AgentOption.of(JAR, "", List.of("-Xmx1g"))).isEqualTo("-agentlib:instrument=" + JAR);
        assertThat(AgentOption.of(JAR, "role=worker", List.of()))
                .isEqualTo("-agentlib:instrument=" + JAR + "=role=worker");
    }

    @Test
    void limitedModules_keepJavaagent_whichAddsJavaInstrumentToThem() {
        assertThat(AgentOption.of(JAR, "", List.of("--limit-modules=java.base,java.logging")))
                .isEqualTo("-javaagent:" + JAR);
        assertThat(AgentOption.of(JAR, "role=worker", List.of("--limit-modules", "java.base")))
                .isEqualTo("-javaagent:" + JAR + "=role=worker");
    }
}
