package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.Constraint;
import io.weft.api.Implement;
import io.weft.api.Task;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A class file that mentions {@code @Implement} (as its constant pool would), or one of the same size that does
     * not.
     */
    private static byte[] classFile(boolean mentions) {
        return ((mentions ? "Lio/weft/api/Implement;" : "Lio/weft/api/Unrelated;") + " padding").getBytes(
                StandardCharsets.UTF_8);
    }

    private static void writeJar(Path jar, Map<String, byte[]> entries)
            throws IOException {
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (var e : new TreeMap<>(entries).entrySet()) {
                var entry = new JarEntry(e.getKey());
                entry.setTime(0);
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    /** Makes the index name the other class: only what an index names is read while its location is unchanged. */
    private static void pointIndexAt(Path indexes, String from, String to) throws IOException {
        Path index = indexFiles(indexes).get(0);
        List<String> lines = new ArrayList<>(Files.readAllLines(index));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(from);
        lines.set(lines.size() - 1, to);
        Files.write(index, lines);
    }

    @Test
    void aJarsIndex_isUsedWhileItsClassesStayTheSame_evenWithTheSameSizeAndTime(@TempDir
            Path dir) throws Exception {
        Path jar = dir.resolve("app.jar");
        Path indexes = Files.createDirectory(dir.resolve("cache"));
        writeJar(jar, Map.of("app/Alt.class", classFile(true), "app/Plain.class", classFile(false)));
        FileTime time = Files.getLastModifiedTime(jar);
        long size = Files.size(jar);

        assertThat(Implementations.classesMentioningImplement(jar, indexes)).containsOnlyKeys("app.Alt");
        assertThat(indexFiles(indexes)).as("one index, for the jar").hasSize(1);
        // An index made to name the class that does not mention the annotation finds nothing, where reading the
        // jar would find Alt: the index is what was read.
        pointIndexAt(indexes, "app.Alt", "app.Plain");
        assertThat(Implementations.classesMentioningImplement(jar, indexes)).isEmpty();

        // Rebuilt with Plain now an alternative too, and the same size and time, as a copy that keeps times makes.
        writeJar(jar, Map.of("app/Alt.class", classFile(true), "app/Plain.class", classFile(true)));
        Files.setLastModifiedTime(jar, time);
        assertThat(Files.size(jar)).isEqualTo(size);
        assertThat(Implementations.classesMentioningImplement(jar, indexes)).as("a changed jar is read again")
                .containsOnlyKeys("app.Alt", "app.Plain");
        assertThat(indexFiles(indexes)).hasSize(1);
    }

    @Test
    void anIndexNamingSomethingOtherThanAClass_isNotUsed(@TempDir Path dir)
            throws Exception {
        Path jar = dir.resolve("app.jar");
        Path indexes = Files.createDirectory(dir.resolve("cache"));
        writeJar(jar, Map.of("app/Alt.class", classFile(true)));
        Implementations.classesMentioningImplement(jar, indexes);

        pointIndexAt(indexes, "app.Alt", "../../etc/passwd");

        assertThat(Implementations.classesMentioningImplement(jar, indexes)).as("read whole again")
                .containsOnlyKeys("app.Alt");
    }

    @Test
    void aFoldersIndex_isUsedWhileItsClassFilesStayAsTheyWere(@TempDir Path dir)
            throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/app"));
        Path indexes = Files.createDirectory(dir.resolve("cache"));
        Files.write(classes.resolve("Alt.class"), classFile(true));
        Files.write(classes.resolve("Plain.class"), classFile(false));
        Path location = dir.resolve("classes");

        assertThat(Implementations.classesMentioningImplement(location, indexes)).containsOnlyKeys("app.Alt");
        // Only what the index names is read while the folder is unchanged: an index made to name the other class
        // (which does not mention the annotation) finds nothing, where reading the folder would find Alt.
        pointIndexAt(indexes, "app.Alt", "app.Plain");
        assertThat(Implementations.classesMentioningImplement(location, indexes)).isEmpty();

        Files.write(classes.resolve("Other.class"), classFile(true)); // a new class file
        assertThat(Implementations.classesMentioningImplement(location, indexes)).as("a changed folder is read again")
                .containsOnlyKeys("app.Alt", "app.Other");
    }

    @Test
    void aClassFolderReachedThroughALink_isReadAsTheFolderItLinksTo(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/app"));
        Path indexes = Files.createDirectory(dir.resolve("cache"));
        Files.write(classes.resolve("Alt.class"), classFile(true));
        Files.write(classes.resolve("Plain.class"), classFile(false));
        // A class path entry that is a link to the folder (target -> /scratch/target, say).
        Path link = Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("classes"));

        assertThat(Implementations.classesMentioningImplement(link, null)).containsOnlyKeys("app.Alt");
        assertThat(Implementations.classesMentioningImplement(link, indexes)).containsOnlyKeys("app.Alt");
        assertThat(Implementations.classesMentioningImplement(link, indexes)).as("through its index")
                .containsOnlyKeys("app.Alt");
        Files.write(classes.resolve("Other.class"), classFile(true));
        assertThat(Implementations.classesMentioningImplement(link, indexes)).as("a changed folder is read again")
                .containsOnlyKeys("app.Alt", "app.Other");
    }

    private static List<Path> indexFiles(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith("implements-")).toList();
        }
    }
}
