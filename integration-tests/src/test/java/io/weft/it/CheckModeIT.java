package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check mode ({@code check=true}) turns Weft's silent wrong answers into a report: a task that changes an
 * object it takes as {@code @In}, and a task that writes a file whose name it got as a {@code String}, are named
 * with the parameter or file and the fix, and the run ends with status 1; the same programs with their writes
 * declared pass. In this JVM and on two worker processes, where the check runs in the worker that runs the task.
 */
class CheckModeIT {
    private static final Path PROGRAMS = Path.of("src/test/resources/check");
    private static Path classes;

    @BeforeAll
    static void compile() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String name : new String[] {"Accumulate", "NamedFile", "Declared"}) {
            sources.put(name + ".java", Files.readString(PROGRAMS.resolve(name + ".java")));
        }
        classes = SourcePrograms.compile(sources, "17");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"check=true", "workers=2,check=true"})
    void aTaskThatChangesAnObjectItTakesAsIn_isReportedWithTheFix(String agentArgs, @TempDir Path dir)
            throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).classPath(classes).run("Accumulate");
        ChildJvm.Result checked = ChildJvm.withAgent().agentArgs(agentArgs).in(dir).classPath(classes).timeout(120)
                .run("Accumulate");

        assertThat(sequential.stdout()).isEqualTo("sum = 55\n");
        assertThat(checked.exitCode()).as("%s", checked).isEqualTo(1);
        assertThat(checked.stderr()).containsOnlyOnce("weft: check: task Accumulate.add changed its @In parameter 1"
                + " (Sum acc), or an object reachable from it: mark the parameter @InOut.");
        assertThat(checked.stderr()).contains("weft: check: 10 undeclared writes by 10 of 10 tasks (shown above, at"
                + " most 5 for each task)").contains("Exiting with status 1.");
        if (!agentArgs.contains("workers")) {
            assertThat(checked.stdout()).as("in this JVM the tasks run on the program's objects, one at a time")
                    .isEqualTo(sequential.stdout());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"check=true", "workers=2,check=true"})
    void aTaskThatWritesAFileNamedByAString_isReportedWithTheFix(String agentArgs, @TempDir Path dir)
            throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).classPath(classes).run("NamedFile");
        Files.delete(dir.resolve("sf.txt"));
        ChildJvm.Result checked = ChildJvm.withAgent().agentArgs(agentArgs).in(dir).classPath(classes).timeout(120)
                .run("NamedFile");

        assertThat(sequential.stdout()).isEqualTo("v=42\n");
        assertThat(checked.exitCode()).as("%s", checked).isEqualTo(1);
        assertThat(checked.stderr()).containsOnlyOnce("weft: check: task NamedFile.write created file sf.txt (in "
                + dir.toRealPath() + "), which it was not given as a file parameter: pass the file as a"
                + " java.nio.file.Path or java.io.File parameter marked @Out (@InOut if the task also reads it)");
        assertThat(checked.stderr()).contains("weft: check: 1 undeclared write by 1 of 1 task");
        assertThat(checked.stdout()).as("the check runs each task before the program goes on")
                .isEqualTo(sequential.stdout());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"check=true", "workers=2,check=true"})
    void theSameProgramsWithTheirWritesDeclared_passTheCheck(String agentArgs, @TempDir Path dir) throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).classPath(classes).run("Declared");
        Files.delete(dir.resolve("sf.txt"));
        ChildJvm.Result checked = ChildJvm.withAgent().agentArgs(agentArgs).in(dir).classPath(classes).timeout(120)
                .run("Declared");
        ChildJvm.Result unchecked = ChildJvm.withAgent().agentArgs(agentArgs.replace("check=true", "check=false"))
                .in(dir).classPath(classes).timeout(120).run("Declared");

        assertThat(checked.exitCode()).as("%s", checked).isZero();
        assertThat(checked.stdout()).isEqualTo(sequential.stdout()).isEqualTo("sum = 55\nv=42\n");
        assertThat(checked.stderr()).contains("weft: check: no undeclared writes in 11 tasks.")
                .doesNotContain("weft: check: task");
        assertThat(unchecked.stdout()).isEqualTo(sequential.stdout());
        assertThat(unchecked.stderr()).as("off by default, and when off").doesNotContain("weft: check");
    }
}
