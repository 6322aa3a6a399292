package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The property the whole runtime rests on: for random programs of task calls with random directions over shared
 * objects, arrays and files — interleaved with the main program touching the same data — the run with the agent
 * prints exactly what the sequential run prints. Programs are compiled once and run in batches (one child JVM per
 * batch and mode), each program in its own directory.
 *
 * <p>The seed is printed; set {@code -Dweft.it.seed=N} to replay a failing run.
 */
class RandomProgramsIT {
    private static final int PROGRAMS = Integer.getInteger("weft.it.programs", 240);
    private static final int BATCHES = 4;

    @Test
    void randomPrograms_printTheSameWithAndWithoutAgent() throws Exception {
        // The local default; three threads, newest first; the six nodes of the heterogeneous example, where tasks
        // spread over several in-process workers; and three threads in critical-path order (ranked ready queue).
        check("RandomProgramsIT", PROGRAMS, BATCHES, b -> switch (b % 4) {
            case 0 -> "summary=true";
            case 1 -> "threads=3,scheduler=lifo,summary=true";
            case 2 -> "resources=" + HeterogeneousIT.RESOURCES.resolve("resources.xml").toAbsolutePath()
                    + ",scheduler=fifo,summary=true";
            default -> "threads=3,scheduler=critical,summary=true";
        });
    }

    /**
     * The same on a local cluster of two worker processes with one executor each: every object and file a task
     * uses crosses to a worker and back. One batch places by locality, the other lets the workers take turns.
     */
    @Test
    void randomPrograms_printTheSameOnALocalCluster() throws Exception {
        int programs = Integer.getInteger("weft.it.clusterPrograms", 60);
        check("RandomProgramsIT (cluster)", programs, 2, b -> "workers=2,threads=1,summary=true"
                + (b % 2 == 0 ? "" : ",scheduler=fifo"));
    }

    /**
     * The check mode finds nothing to report in programs that declare every write, and prints what the sequential
     * run prints (it runs the tasks one at a time): in this JVM, and on two worker processes. The programs' files
     * lie under the working folder, where the check looks.
     */
    @Test
    void randomPrograms_underTheCheck_printTheSameAndReportNothing(@TempDir Path dir) throws Exception {
        int programs = Integer.getInteger("weft.it.checkPrograms", 60);
        long seed = Long.getLong("weft.it.seed", System.nanoTime());
        System.out.println("RandomProgramsIT (check) seed=" + seed + " programs=" + programs);
        Generated g = generate(new ProgramGenerator(seed), programs);
        for (String agentArgs : List.of("check=true,summary=true", "workers=2,threads=1,check=true,summary=true")) {
            Runs runs = run(g, dir, agentArgs);
            assertThat(runs.parallel.exitCode()).as("with %s: %s", agentArgs, runs.parallel).isZero();
            assertThat(runs.parallel.stderr()).as(agentArgs).doesNotContain("weft: check: task ")
                    .containsPattern("weft: check: no undeclared writes in [1-9][0-9]* tasks\\.");
            assertThat(runs.differing(seed, agentArgs)).as("programs whose output differs under the check").isEmpty();
        }
    }

    /**
     * Programs that also change an {@code @In} cell or write a file named by a {@code String}: the check reports
     * every such call, and nothing else, and the run ends with status 1. In this JVM the program still prints what
     * the sequential run prints (the tasks work on its own objects, one at a time); on worker processes a change to
     * an {@code @In} cell is lost, which is the point of the report, so only the report is compared there.
     */
    @Test
    void randomProgramsWithUndeclaredWrites_haveEachOneReportedByTheCheck(@TempDir Path dir) throws Exception {
        int programs = Integer.getInteger("weft.it.checkPrograms", 60);
        long seed = Long.getLong("weft.it.seed", System.nanoTime());
        System.out.println("RandomProgramsIT (undeclared writes) seed=" + seed + " programs=" + programs);
        Generated g = generate(ProgramGenerator.withUndeclaredWrites(seed), programs);
        int expected = g.programs.values().stream().mapToInt(ProgramGenerator::undeclaredWrites).sum();
        for (String agentArgs : List.of("check=true", "workers=2,threads=1,check=true")) {
            Runs runs = run(g, dir, agentArgs);
            assertThat(runs.parallel.exitCode()).as("with %s: %s", agentArgs, runs.parallel).isEqualTo(1);
            String err = runs.parallel.stderr();
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("weft: check: (\\d+) undeclared writes? by (\\d+) of \\d+ tasks").matcher(err);
            assertThat(m.find()).as("the check's summary with %s: %s", agentArgs, runs.parallel).isTrue();
            assertThat(Integer.parseInt(m.group(1))).as("undeclared writes found (seed %d, %s)", seed, agentArgs)
                    .isEqualTo(expected);
            assertThat(Integer.parseInt(m.group(2))).as("tasks that made them").isEqualTo(expected);
            if (err.contains("Ops.sneakyAdd")) {
                assertThat(err).contains("weft: check: task Ops.sneakyAdd changed its @In parameter 1 (Cell),"
                        + " or an object reachable from it: mark the parameter @InOut.");
            }
            if (err.contains("Ops.sneakyWrite")) {
                assertThat(err).containsPattern("weft: check: task Ops.sneakyWrite created file weft-gen[0-9]+/P[0-9]+"
                        + "/sneaky[0-9]+\\.txt \\(in .*\\), which it was not given as a file parameter: pass the file"
                        + " as a java.nio.file.Path or java.io.File parameter marked @Out");
            }
            if (!agentArgs.contains("workers")) {
                assertThat(runs.differing(seed, agentArgs)).as("programs whose output differs under the check")
                        .isEmpty();
            }
        }
    }

    /**
     * Programs with failing tasks of every policy ({@link ProgramGenerator#withFailures}): a task that changes its
     * data and then fails is retried on the data as it was, an ignored one leaves it as it was, a cancelled one's
     * failure reaches the program — in this JVM and on two worker processes, the program prints what its sequential
     * run, with the same failures applied by hand, prints, and ends with status 0 (every failure was handled).
     */
    @Test
    void randomProgramsWithFailingTasks_printWhatTheSequentialRunWithTheFailuresAppliedByHandPrints(@TempDir Path dir)
            throws Exception {
        int programs = Integer.getInteger("weft.it.failurePrograms", 60);
        long seed = Long.getLong("weft.it.seed", System.nanoTime());
        System.out.println("RandomProgramsIT (failures) seed=" + seed + " programs=" + programs);
        Generated g = generate(ProgramGenerator.withFailures(seed), programs);
        String[] args = g.programs.keySet().toArray(new String[0]);
        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).jvmOption("-Dgen.base=.").classPath(g.classes)
                .run("gen.Runner", args);
        assertThat(sequential.exitCode()).as("sequential: %s", sequential).isZero();
        for (String mode : List.of("threads=3", "workers=2,threads=1")) {
            Path attempts = Files.createDirectories(dir.resolve("attempts-" + mode.replaceAll("[^a-z0-9]", "")));
            String properties = "-Dgen.failures=true;-Dgen.attempts=" + attempts.toAbsolutePath();
            String agentArgs = mode + (mode.contains("workers") ? ",workerJvmOptions=" + properties : "");
            ChildJvm jvm = ChildJvm.withAgent().agentArgs(agentArgs).in(dir).jvmOption("-Dgen.base=.")
                    .classPath(g.classes);
            for (String p : properties.split(";")) {
                jvm = jvm.jvmOption(p);
            }
            ChildJvm.Result parallel = jvm.run("gen.Runner", args);
            assertThat(parallel.exitCode()).as("with %s (seed %d): %s", agentArgs, seed, parallel).isZero();
            Runs runs = new Runs(g, sequential, parallel);
            assertThat(runs.differing(seed, agentArgs)).as("programs whose output differs").isEmpty();
        }
    }

    /** Generated programs, compiled. */
    private record Generated(Map<String, String> programs, Path classes) {}

    /** The sequential run and the run with the agent of every program, in one child JVM each. */
    private record Runs(Generated generated, ChildJvm.Result sequential, ChildJvm.Result parallel) {
        List<String> differing(long seed, String agentArgs) {
            Map<String, String> seq = split(sequential.stdout());
            Map<String, String> par = split(parallel.stdout());
            List<String> out = new ArrayList<>();
            for (String name : generated.programs.keySet()) {
                if (!seq.get(name).equals(par.get(name))) {
                    out.add("program " + name + " (seed " + seed + ", " + agentArgs + ") differs.\n--- source\n"
                            + generated.programs.get(name) + "--- sequential\n" + seq.get(name) + "--- with agent\n"
                            + par.get(name));
                }
            }
            return out;
        }
    }

    private static Generated generate(ProgramGenerator generator, int count) throws IOException {
        Path src = TemporaryFolders.directory("weft-gen-src");
        Path classes = TemporaryFolders.directory("weft-gen-classes");
        Map<String, String> programs = new LinkedHashMap<>();
        for (String[] s : ProgramGenerator.supportSources()) {
            write(src, s[0], s[1]);
        }
        for (int i = 0; i < count; i++) {
            String name = "P" + i;
            String text = generator.program(name);
            programs.put(name, text);
            write(src, "gen/" + name + ".java", text);
        }
        compile(src, classes);
        return new Generated(programs, classes);
    }

    /** Runs every program without and with the agent, in {@code dir}, their files under it. */
    private static Runs run(Generated g, Path dir, String agentArgs) throws Exception {
        String[] args = g.programs.keySet().toArray(new String[0]);
        ChildJvm.Result sequential = ChildJvm.sequential().in(dir).jvmOption("-Dgen.base=.").classPath(g.classes)
                .run("gen.Runner", args);
        assertThat(sequential.exitCode()).as("sequential: %s", sequential).isZero();
        ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs(agentArgs).in(dir).jvmOption("-Dgen.base=.")
                .classPath(g.classes).run("gen.Runner", args);
        return new Runs(g, sequential, parallel);
    }

    /** Generates, compiles and runs {@code count} programs in {@code batches} child JVMs per mode. */
    private static void check(String label, int count, int batches, IntFunction<String> agentArgsOfBatch)
            throws Exception {
        long seed = Long.getLong("weft.it.seed", System.nanoTime());
        System.out.println(label + " seed=" + seed + " programs=" + count);
        Generated generated = generate(new ProgramGenerator(seed), count);
        Map<String, String> programs = generated.programs;
        Path classes = generated.classes;

        List<String> names = new ArrayList<>(programs.keySet());
        List<String> failures = new ArrayList<>();
        int perBatch = (names.size() + batches - 1) / batches;
        for (int b = 0; b < batches; b++) {
            List<String> batch = names.subList(b * perBatch, Math.min(names.size(), (b + 1) * perBatch));
            String[] args = batch.toArray(new String[0]);
            ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes)
                    .in(TemporaryFolders.directory("weft-gen-run")).run("gen.Runner", args);
            assertThat(sequential.exitCode()).as("sequential batch %d: %s", b, sequential).isZero();
            String agentArgs = agentArgsOfBatch.apply(b);
            ChildJvm.Result parallel = ChildJvm.withAgent().agentArgs(agentArgs).classPath(classes)
                    .in(TemporaryFolders.directory("weft-gen-run")).run("gen.Runner", args);
            assertThat(parallel.exitCode()).as("batch %d with agent (%s): %s", b, agentArgs, parallel).isZero();
            assertThat(parallel.stderr()).containsPattern("weft: [1-9][0-9]* tasks, 0 failed");
            Map<String, String> seq = split(sequential.stdout());
            Map<String, String> par = split(parallel.stdout());
            for (String name : batch) {
                if (!seq.get(name).equals(par.get(name))) {
                    failures.add("program " + name + " (seed " + seed + ", " + agentArgs + ") differs.\n--- source\n"
                            + programs.get(name) + "--- sequential\n" + seq.get(name) + "--- with agent\n"
                            + par.get(name));
                }
            }
        }
        assertThat(failures).as("programs whose output differs with the agent").isEmpty();
    }

    private static Map<String, String> split(String output) {
        Map<String, String> byProgram = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("== ")) {
                if (current != null) {
                    byProgram.put(current, text.toString());
                }
                current = line.substring(3);
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            byProgram.put(current, text.toString());
        }
        return byProgram;
    }

    private static void write(Path root, String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static void compile(Path src, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                ChildJvm.API.toAbsolutePath().toString(), "--release", "17", "-nowarn"));
        try (var files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        int rc = javac.run(null, null, null, args.toArray(new String[0]));
        assertThat(rc).as("javac of generated programs").isZero();
    }
}
