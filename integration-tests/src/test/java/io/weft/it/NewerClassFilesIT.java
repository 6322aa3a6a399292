package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Class files compiled for Java 21 (with records, switch patterns and text blocks) work under the agent. */
class NewerClassFilesIT {
    private static final Path JDK = Path.of(System.getProperty("weft.it.newer.jdk",
            "/usr/lib/jvm/temurin-25-jdk-amd64"));

    @Test
    void java21ClassFiles_printTheSameWithAndWithoutAgent() throws Exception {
        assumeTrue(Files.isExecutable(JDK.resolve("bin/javac")), "a JDK 21+ is needed at " + JDK);
        String source = """
                package newer;
                import io.weft.api.*;
                public class Main {
                    sealed interface Shape permits Square, Circle {}
                    record Square(double side) implements Shape {}
                    record Circle(double r) implements Shape {}
                    static final class Acc { double total; }
                    @Task static void add(@InOut Acc acc, Shape s) {
                        acc.total += switch (s) {
                            case Square q -> q.side() * q.side();
                            case Circle c -> 3 * c.r() * c.r();
                        };
                    }
                    public static void main(String[] args) {
                        Acc[] accs = { new Acc(), new Acc() };
                        for (int i = 0; i < 200; i++) {
                            add(accs[i % 2], i % 3 == 0 ? new Square(i) : new Circle(i));
                        }
                        System.out.println(\"""
                                totals: %s %s\""".formatted(accs[0].total, accs[1].total));
                    }
                }
                """;
        Path classes = SourcePrograms.compile(Map.of("newer/Main.java", source), "21",
                JDK.resolve("bin/javac").toString());
        String java = JDK.resolve("bin/java").toString();
        ChildJvm.Result sequential = ChildJvm.sequential().java(java).classPath(classes).run("newer.Main");
        ChildJvm.Result parallel = ChildJvm.withAgent().java(java).agentArgs("summary=true").classPath(classes)
                .run("newer.Main");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout()).contains("totals:");
        assertThat(parallel.stderr()).contains("weft: 200 tasks, 0 failed");
    }
}
