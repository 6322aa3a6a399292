package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.Constraint;
import io.weft.api.Implement;
import io.weft.api.Task;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImplementationsTest {
    static final class Solver {
        @Task
        static long solve(long[] data) {
            return data.length;
        }

        @Task
        static long solve(int[] data) {
            return data.length;
        }

        @Task
        long scaled(long[] data) {
            return data.length;
        }

        @Task
        static String badlyImplemented(long[] data) {
            return "";
        }
    }

    /** Alternatives in another class of the same class directory. */
    static final class GpuSolvers {
        @Implement(of = Solver.class, method = "solve")
        @Constraint(gpus = 1)
        static long solveOnGpu(long[] data) {
            return data.length;
        }

        @Implement(of = Solver.class, method = "solve")
        @Constraint(processorArchitecture = "ppc64le")
        static long solveOnPower(long[] data) {
            return data.length;
        }

        @Implement(of = Solver.class, method = "badlyImplemented")
        static Object wrongResult(long[] data) {
            return "";
        }
    }

    static final class Misspelled {
        @Task
        static long work(long[] data) {
            return data.length;
        }
    }

    static final class MisspelledAlternatives {
        @Implement(of = Misspelled.class, method = "wrok")
        static long workFast(long[] data) {
            return data.length;
        }
    }

    static class SubSolver {
        @Implement(of = Solver.class, method = "scaled")
        long scaledElsewhere(long[] data) {
            return data.length;
        }
    }

    private static Method method(Class<?> c, String name, Class<?>... types) throws Exception {
        return c.getDeclaredMethod(name, types);
    }

    @Test
    void alternativesAnywhereInTheTaskClassLocation_areFound_forTheMatchingOverloadOnly() throws Exception {
        List<Method> found = Implementations.of(method(Solver.class, "solve", long[].class));
        assertThat(found).extracting(Method::getName).containsExactly("solveOnGpu", "solveOnPower");
        assertThat(Implementations.of(method(Solver.class, "solve", int[].class))).isEmpty();
    }

    @Test
    void alternativeWithAnotherResultType_isRejectedNamingIt() throws Exception {
        assertThatThrownBy(() -> Implementations.of(method(Solver.class, "badlyImplemented", long[].class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GpuSolvers.wrongResult returns java.lang.Object")
                .hasMessageContaining("returns java.lang.String");
    }

    @Test
    void instanceAlternativeInAnUnrelatedClass_isRejected() throws Exception {
        assertThatThrownBy(() -> Implementations.of(method(Solver.class, "scaled", long[].class)))
                .hasMessageContaining("SubSolver.scaledElsewhere")
                .hasMessageContaining("receiver");
    }

    @Test
    void alternativeNamingNoTask_failsTheFirstCall_listingTheTasks() throws Exception {
        assertThatThrownBy(() -> Implementations.of(method(Misspelled.class, "work", long[].class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MisspelledAlternatives.workFast names")
                .hasMessageContaining("Misspelled.wrok(long[])")
                .hasMessageContaining("which is not a @Task method")
                .hasMessageContaining("work(long[])");
    }

    /** A class file that mentions {@code @Implement} (as its constant pool would), or one that does not. */
    private static byte[] classFile(boolean mentions) {
        return ((mentions ? "Lio/weft/api/Implement;" : "Lio/weft/api/Task;") + " padding").getBytes(
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeJar(java.nio.file.Path jar, java.util.Map<String, byte[]> entries)
            throws java.io.IOException {
        try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new java.util.jar.JarEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    @Test
    void aJarsIndex_isKeptForTheNextRun_andMadeAgainWhenTheJarChanges(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        java.nio.file.Path jar = dir.resolve("app.jar");
        java.nio.file.Path indexes = java.nio.file.Files.createDirectory(dir.resolve("cache"));
        writeJar(jar, java.util.Map.of("app/Alt.class", classFile(true), "app/Plain.class", classFile(false)));

        assertThat(Implementations.classesMentioningImplement(jar, indexes)).containsOnlyKeys("app.Alt");
        assertThat(indexFiles(indexes)).as("one index, for the jar").hasSize(1);
        assertThat(Implementations.classesMentioningImplement(jar, indexes)).as("from the index")
                .containsOnlyKeys("app.Alt");

        writeJar(jar, java.util.Map.of("app/Alt.class", classFile(true), "app/Plain.class", classFile(false),
                "app/NewAlt.class", classFile(true)));
        java.nio.file.Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 5_000));
        assertThat(Implementations.classesMentioningImplement(jar, indexes)).as("a changed jar is read again")
                .containsOnlyKeys("app.Alt", "app.NewAlt");
        assertThat(indexFiles(indexes)).hasSize(1);
    }

    @Test
    void aFoldersIndex_isUsedWhileItsClassFilesStayAsTheyWere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path classes = java.nio.file.Files.createDirectories(dir.resolve("classes/app"));
        java.nio.file.Path indexes = java.nio.file.Files.createDirectory(dir.resolve("cache"));
        java.nio.file.Files.write(classes.resolve("Alt.class"), classFile(true));
        java.nio.file.Files.write(classes.resolve("Plain.class"), classFile(false));
        java.nio.file.Path location = dir.resolve("classes");

        assertThat(Implementations.classesMentioningImplement(location, indexes)).containsOnlyKeys("app.Alt");
        // Only what the index names is read while the folder is unchanged: an index made to name the other class
        // (which does not mention the annotation) finds nothing, where reading the folder would find Alt.
        java.nio.file.Path index = indexFiles(indexes).get(0);
        java.util.List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(index));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("app.Alt");
        lines.set(lines.size() - 1, "app.Plain");
        java.nio.file.Files.write(index, lines);
        assertThat(Implementations.classesMentioningImplement(location, indexes)).isEmpty();

        java.nio.file.Files.write(classes.resolve("Other.class"), classFile(true)); // a new class file
        assertThat(Implementations.classesMentioningImplement(location, indexes)).as("a changed folder is read again")
                .containsOnlyKeys("app.Alt", "app.Other");
    }

    private static java.util.List<java.nio.file.Path> indexFiles(java.nio.file.Path folder) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("implements-")).toList();
        }
    }
}
