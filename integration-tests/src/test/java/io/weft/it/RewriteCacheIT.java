package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rewrite cache across real runs: a second run takes its classes from the cache and prints the same; a callee
 * that stops being a task, and a damaged entry, make the class be rewritten again; {@code rewriteCache=false}
 * writes nothing. Each test gives its runs a temporary folder of their own ({@code java.io.tmpdir}).
 */
class RewriteCacheIT {
    private static final String MAIN = """
            package app;
            public class Main {
                public static void main(String[] args) {
                    Work.Acc acc = new Work.Acc();
                    for (int i = 1; i <= 50; i++) {
                        Work.add(acc, i);
                    }
                    System.out.println("total " + acc.total);
                }
            }
            """;
    private static final String WORK = """
            package app;
            import io.weft.api.*;
            public class Work {
                public static final class Acc { public long total; }
                %s public static void add(%s Acc acc, int i) { acc.total += i; }
            }
            """;

    @Test
    void secondRun_takesItsClassesFromTheCache_andPrintsTheSame() throws Exception {
        Path classes = program(true);
        Path tmp = TemporaryFolders.directory("weft-rewrites");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("app.Main");

        ChildJvm.Result cold = run(classes, tmp, "");
        ChildJvm.Result warm = run(classes, tmp, "");

        assertThat(sequential.stdout()).isEqualTo("total 1275\n");
        for (ChildJvm.Result r : List.of(cold, warm)) {
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).isEqualTo(sequential.stdout());
            assertThat(r.stderr()).contains("weft: 50 tasks, 0 failed");
        }
        assertThat(line(cold, "app.Main")).doesNotContain("from the rewrite cache");
        assertThat(line(warm, "app.Main")).endsWith("(from the rewrite cache)");
        assertThat(line(warm, "app.Work")).endsWith("(from the rewrite cache)");
        assertThat(entries(tmp)).isNotEmpty().allSatisfy(entry -> assertThat(
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)))
                .isEqualTo("rw-------"));
    }

    @Test
    void calleeThatIsNoLongerATask_makesTheCallerBeRewritten() throws Exception {
        Path classes = program(true);
        Path tmp = TemporaryFolders.directory("weft-rewrites");
        assertThat(run(classes, tmp, "").stderr()).contains("weft: 50 tasks");
        Path plain = program(false);
        Files.copy(plain.resolve("app/Work.class"), classes.resolve("app/Work.class"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ChildJvm.Result changed = run(classes, tmp, "");

        assertThat(changed.exitCode()).as("%s", changed).isZero();
        assertThat(changed.stdout()).isEqualTo("total 1275\n");
        assertThat(line(changed, "app.Main")).doesNotContain("from the rewrite cache");
        assertThat(changed.stderr()).as("no call of Work.add is a task any more").doesNotContain("weft: 50 tasks");
    }

    @Test
    void damagedEntries_areRewritten() throws Exception {
        Path classes = program(true);
        Path tmp = TemporaryFolders.directory("weft-rewrites");
        run(classes, tmp, "");
        for (Path entry : entries(tmp)) {
            byte[] bytes = Files.readAllBytes(entry);
            bytes[bytes.length - 40] ^= 0x11;
            Files.write(entry, bytes);
        }

        ChildJvm.Result damaged = run(classes, tmp, "");
        ChildJvm.Result repaired = run(classes, tmp, "");

        assertThat(damaged.stdout()).isEqualTo("total 1275\n");
        assertThat(damaged.stderr()).contains("weft: 50 tasks").doesNotContain("from the rewrite cache");
        assertThat(line(repaired, "app.Main")).endsWith("(from the rewrite cache)");
    }

    @Test
    void rewriteCacheFalse_writesNothing() throws Exception {
        Path classes = program(true);
        Path tmp = TemporaryFolders.directory("weft-rewrites");

        ChildJvm.Result r = run(classes, tmp, ",rewriteCache=false");
        ChildJvm.Result again = run(classes, tmp, ",rewriteCache=false");

        assertThat(again.stdout()).isEqualTo(r.stdout()).isEqualTo("total 1275\n");
        assertThat(line(again, "app.Main")).doesNotContain("from the rewrite cache");
        assertThat(entries(tmp)).isEmpty();
    }

    private static Path program(boolean task) throws Exception {
        return SourcePrograms.compile(Map.of("app/Main.java", MAIN,
                "app/Work.java", WORK.formatted(task ? "@Task" : "", task ? "@InOut" : "")), "17");
    }

    private static ChildJvm.Result run(Path classes, Path tmp, String moreArgs) throws Exception {
        return ChildJvm.withAgent().jvmOption("-Djava.io.tmpdir=" + tmp)
                .agentArgs("verbose=true,summary=true" + moreArgs).classPath(classes).run("app.Main");
    }

    /** The agent's verbose line about {@code className}. */
    private static String line(ChildJvm.Result r, String className) {
        return r.stderr().lines().filter(l -> l.startsWith("weft: instrumented " + className + " in "))
                .findFirst().orElseThrow(() -> new AssertionError("no line about " + className + " in " + r));
    }

    private static List<Path> entries(Path tmp) throws Exception {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".class")).toList();
        }
    }
}
