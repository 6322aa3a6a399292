package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.api.Task;
import io.weft.api.spi.TaskSites;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javassist.bytecode.ClassFile;
import javassist.bytecode.MethodInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instrumenter's output is valid for the class-file versions programs are compiled to. */
class ClassVersionsTest {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @Test
    void everySampleCompiledForRelease17_instrumentsToClassesTheJvmVerifies() throws Exception {
        Map<String, byte[]> instrumented = new TreeMap<>();
        ClassInstrumenter instrumenter = new ClassInstrumenter(TaskSites::register, "weftsamples.App");
        SampleLoader loader = new SampleLoader(instrumenter);
        for (String name : sampleClassNames()) {
            byte[] original = SampleLoader.originalBytes(name);
            assertThat(majorVersion(original)).as(name).isEqualTo(61);
            byte[] out = instrumenter.instrument(loader, original);
            ClassFile parsed = parse(out);
            assertThat(parsed.getMajorVersion()).as(name).isEqualTo(61);
            for (MethodInfo m : parse(original).getMethods()) {
                if (m.getCodeAttribute() != null && m.isMethod()) {
                    assertThat(twinsOf(parsed)).as(name + " twins").contains(m.getName() + TaskThreadTwins.SUFFIX);
                }
            }
            instrumented.put(name, out);
        }
        assertThat(instrumented).containsKeys("weftsamples.App", "weftsamples.Block", "weftsamples.Calls",
                "weftsamples.Calls$1", "weftsamples.Calls$Inner", "weftsamples.Calls$Nested");

        for (String name : instrumented.keySet()) {
            // initialising links, and linking verifies every method of the rewritten class
            Class<?> c = Class.forName(name, true, loader);
            assertThat(c.getClassLoader()).isSameAs(loader);
        }
    }

    @Test
    void classCompiledForRelease21_instrumentsToAValidVersion65Class(@TempDir Path dir) throws Exception {
        Path javac = JDK25.resolve("bin/javac");
        Assumptions.assumeTrue(Files.isExecutable(javac), "no JDK 25 at " + JDK25);
        Path source = dir.resolve("src/weft21/Modern.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, MODERN, StandardCharsets.UTF_8);
        Path classes = dir.resolve("classes");
        String api = Path.of(Task.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        run(dir, javac.toString(), "--release", "21", "-parameters", "-cp", api, "-d", classes.toString(),
                source.toString());

        List<String> registered = new ArrayList<>();
        ClassInstrumenter instrumenter = new ClassInstrumenter((l, owner, name, descriptor, isStatic) -> {
            registered.add(owner + "." + name + descriptor);
            return TaskSites.register(l, owner, name, descriptor, isStatic);
        }, "weft21.Modern");
        Path out = dir.resolve("instrumented");
        try (Jdk25Loader loader = new Jdk25Loader(classes, dir.resolve("jdk25"));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                byte[] original = Files.readAllBytes(file);
                assertThat(majorVersion(original)).as(file.toString()).isEqualTo(65);
                byte[] rewritten = instrumenter.instrument(loader, original);
                ClassFile parsed = parse(rewritten);
                assertThat(parsed.getMajorVersion()).as(file.toString()).isEqualTo(65);
                Path target = out.resolve(classes.relativize(file));
                Files.createDirectories(target.getParent());
                Files.write(target, rewritten);
            }
        }
        assertThat(registered).contains("weft21.Modern.add(Lweft21/Modern$Acc;D)V");
        assertThat(twinsOf(parse(Files.readAllBytes(out.resolve("weft21/Modern.class")))))
                .contains("main" + TaskThreadTwins.SUFFIX, "area" + TaskThreadTwins.SUFFIX);

        // The rewritten classes must also pass a JDK 21+ verifier; without the agent's runtime they run as written.
        String output = run(dir, JDK25.resolve("bin/java").toString(), "-Xshare:auto", "-cp",
                out + java.io.File.pathSeparator + api, "weft21.Modern");
        assertThat(output.strip()).isEqualTo("acc=Acc 7.14");
    }

    private static final String MODERN = """
            package weft21;

            import io.weft.api.InOut;
            import io.weft.api.Task;
            import java.util.List;

            public final class Modern {
                sealed interface Shape permits Circle, Square {}
                record Circle(double r) implements Shape {}
                record Square(double side) implements Shape {}

                static final class Acc {
                    double total;
                    @Override public String toString() { return "Acc"; }
                }

                @Task
                static void add(@InOut Acc acc, double v) { acc.total += v; }

                static double area(Shape s) {
                    return switch (s) {
                        case Circle(double r) -> 3.14 * r * r;
                        case Square(double side) -> side * side;
                    };
                }

                public static void main(String[] args) {
                    Acc acc = new Acc();
                    List<Shape> shapes = List.of(new Circle(1), new Square(2));
                    for (Shape s : shapes) {
                        add(acc, area(s));
                    }
                    Object o = acc;
                    String d = o instanceof Acc a && a.total > 0 ? "acc=" + a : "none";
                    System.out.println(d + " " + String.format("%.2f", acc.total));
                }
            }
            """;

    /**
     * The loader the agent would be given on a JDK 25 JVM: the program's classes, then the JDK 25 class library for
     * what the running JDK 17 lacks (such as {@code java.lang.MatchException}, which pattern switches create).
     */
    private static final class Jdk25Loader extends URLClassLoader {
        private final FileSystem jrt;
        private final Path extracted;

        Jdk25Loader(Path classes, Path extracted) throws IOException {
            super(new URL[] {classes.toUri().toURL()}, ClassVersionsTest.class.getClassLoader());
            this.jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", JDK25.toString()));
            this.extracted = extracted;
        }

        @Override
        public URL findResource(String name) {
            URL found = super.findResource(name);
            if (found != null || !name.endsWith(".class")) {
                return found;
            }
            try (Stream<Path> modules = Files.list(jrt.getPath("/modules"))) {
                for (Path module : modules.toList()) {
                    Path file = module.resolve(name);
                    if (Files.isRegularFile(file)) {
                        Path copy = extracted.resolve(name);
                        Files.createDirectories(copy.getParent());
                        Files.write(copy, Files.readAllBytes(file));
                        return copy.toUri().toURL();
                    }
                }
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                jrt.close();
            }
        }
    }

    private static List<String> sampleClassNames() throws IOException, URISyntaxException {
        Path dir = Path.of(ClassVersionsTest.class.getResource("/weftsamples/App.class").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> "weftsamples." + n.substring(0, n.length() - ".class".length())).sorted().toList();
        }
    }

    private static List<String> twinsOf(ClassFile file) {
        List<String> twins = new ArrayList<>();
        for (MethodInfo m : file.getMethods()) {
            if (m.getName().endsWith(TaskThreadTwins.SUFFIX)) {
                twins.add(m.getName());
            }
        }
        return twins;
    }

    private static ClassFile parse(byte[] bytes) throws IOException {
        return new ClassFile(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished: " + String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
