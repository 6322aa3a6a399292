package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code weft} command as a user meets it: {@code bin/weft} at the root of the built checkout, and the same
 * script in the unpacked distribution archive. A program run with {@code weft run} prints what it prints without
 * Weft and exits with the same status; bad command lines are named and leave nothing behind; a run stopped at its
 * wall-clock limit leaves no worker; a worker started by hand with {@code weft worker} serves an
 * {@code <External>} node.
 */
class LauncherIT {
    static final Path ROOT = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    static final Path WEFT = ROOT.resolve("bin/weft");
    private static final Pattern RUN_FOLDER = Pattern.compile("weft: run folder (\\S+)");

    /** Sums squares in tasks; ends normally, with the status in {@code args[0]}, or with an exception. */
    private static final String SQUARES = """
            package sq;
            public class Squares {
                static final class Box { long v; }
                @io.weft.api.Task static void add(@io.weft.api.InOut Box b, int i) { b.v += (long) i * i; }
                @io.weft.api.Task static long square(int i) {
                    try { Thread.sleep(Integer.getInteger("sq.sleep", 0)); } catch (InterruptedException e) { }
                    return (long) i * i;
                }
                public static void main(String[] args) {
                    Box b = new Box();
                    int n = args.length > 1 ? Integer.parseInt(args[1]) : 40;
                    for (int i = 0; i < n; i++) add(b, i);
                    long other = 0;
                    for (int i = 0; i < n; i++) other += square(i);
                    System.out.println("sum " + b.v + " " + other);
                    String how = args.length > 0 ? args[0] : "normal";
                    if (how.equals("throw")) throw new IllegalStateException("the program's own failure");
                    if (!how.equals("normal")) System.exit(Integer.parseInt(how));
                }
            }
            """;

    private static Path program;

    @BeforeAll
    static void compile() throws Exception {
        program = SourcePrograms.compile(Map.of("sq/Squares.java", SQUARES), "17");
    }

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }

        Path runFolder() {
            Matcher m = RUN_FOLDER.matcher(stderr);
            assertThat(m.find()).as("a run folder is named on stderr: %s", this).isTrue();
            return Path.of(m.group(1));
        }
    }

    static Result run(Path dir, Map<String, String> env, String... argv) throws Exception {
        return finish(start(dir, env, argv), 180);
    }

    static Process start(Path dir, Map<String, String> env, String... argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("out-" + System.nanoTime() + ".txt").toFile());
        return startWithFiles(pb, dir);
    }

    private static Process startWithFiles(ProcessBuilder pb, Path dir) throws IOException {
        long id = System.nanoTime();
        Path out = dir.resolve("stdout-" + id + ".txt");
        Path err = dir.resolve("stderr-" + id + ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        OUTPUTS.put(p, new Path[] {out, err});
        return p;
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    static Result finish(Process p, long seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not end within " + seconds + " s: " + p.info());
        }
        Path[] files = OUTPUTS.remove(p);
        return new Result(p.exitValue(), Files.readString(files[0], StandardCharsets.UTF_8),
                Files.readString(files[1], StandardCharsets.UTF_8));
    }

    static Result sequential(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", program + ":" + ChildJvm.API, "sq.Squares"));
        argv.addAll(List.of(args));
        return run(dir, Map.of(), argv.toArray(String[]::new));
    }

    static String[] weft(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = WEFT.toString();
        System.arraycopy(args, 0, argv, 1, args.length);
        return argv;
    }

    @ParameterizedTest
    @ValueSource(strings = {"normal", "3", "throw"})
    void run_printsWhatTheProgramPrintsWithoutWeft_andExitsWithItsStatus(String how) throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Result without = sequential(dir, how);
        Result with = run(dir, Map.of(), weft("run", "--log-dir", dir.resolve("runs").toString(), "-cp",
                program.toString(), "sq.Squares", how));
        assertThat(with.stdout()).as("%s", with).isEqualTo(without.stdout());
        assertThat(with.exitCode()).as("%s", with).isEqualTo(without.exitCode());
        assertThat(with.exitCode()).isEqualTo(how.equals("normal") ? 0 : how.equals("throw") ? 1 : 3);
        if (how.equals("throw")) {
            assertThat(with.stderr()).contains("the program's own failure");
        }
    }

    @Test
    void runWithWorkers_isTheSameProgram_andItsRunFolderHoldsTheCommandLine() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Result without = sequential(dir);
        Result with = run(dir, Map.of(), weft("run", "--workers", "2", "--log-dir", dir.resolve("runs").toString(),
                "--summary", "-cp", program.toString(), "sq.Squares"));
        assertThat(with.exitCode()).as("%s", with).isZero();
        assertThat(with.stdout()).isEqualTo(without.stdout());
        assertThat(with.stderr()).contains("weft: 80 tasks, 0 failed");
        Path folder = with.runFolder();
        assertThat(folder.getParent()).isEqualTo(dir.resolve("runs"));
        assertThat(Files.getPosixFilePermissions(folder)).hasSize(3);
        String command = Files.readString(folder.resolve("command.txt"));
        assertThat(command).startsWith("weft run --workers 2").contains("-agentlib:instrument=", "-Dweft.workers=2",
                "-Dweft.runFolder=" + folder, "sq.Squares");
    }

    /**
     * The first {@code weft run} records the classes its JVM loads, and once it has ended a class-data archive of
     * them is made in the background; later runs map it (their command line says so) and still print what the
     * program prints without Weft. {@code -A classCache=false} runs without it. The temporary folder is the test's
     * own (through {@code JAVA_TOOL_OPTIONS}, which the JVMs then mention on standard error).
     */
    @Test
    void laterRuns_mapAClassDataArchiveOfWeftsClasses_andPrintTheSame() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        // Not in a batch job, even if the tests run in one: a job's run makes no archive.
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp, "SLURM_JOB_ID", "");
        Result without = sequential(dir);
        String runs = dir.resolve("runs").toString();
        Result first = run(dir, env, weft("run", "--log-dir", runs, "-cp", program.toString(), "sq.Squares"));
        assertThat(first.stdout()).as("%s", first).isEqualTo(without.stdout());
        assertThat(first.exitCode()).isZero();
        assertThat(Files.readString(first.runFolder().resolve("command.txt"))).contains("-XX:DumpLoadedClassList=")
                .doesNotContain("-XX:SharedArchiveFile=");
        Path cache = tmp.resolve("weft-class-cache-" + System.getProperty("user.name"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> made = List.of();
        while (!(made.size() == 1 && made.get(0).endsWith(".jsa")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            try (Stream<Path> files = Files.list(cache)) {
                made = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("master-")).toList();
            }
        }
        assertThat(made).as("the archive made after the first run, and nothing else left, in %s", cache)
                .singleElement().asString().matches("master-[0-9a-f]+\\.jsa");
        Path archive = cache.resolve(made.get(0));
        // -Xshare:on: the JVM stops with an error rather than run without the archive.
        Path loads = dir.resolve("class-loads.txt");
        Result later = run(dir, env, weft("run", "--log-dir", runs, "--jvm-option=-Xshare:on",
                "--jvm-option=-Xlog:class+load:file=" + loads, "-cp", program.toString(), "sq.Squares"));
        assertThat(later.stdout()).as("%s", later).isEqualTo(without.stdout());
        assertThat(later.exitCode()).isZero();
        assertThat(Files.readString(later.runFolder().resolve("command.txt")))
                .contains("-XX:SharedArchiveFile=" + archive).doesNotContain("-XX:DumpLoadedClassList=");
        assertThat(Files.readString(loads)).as("Weft's runtime comes from the archive")
                .contains("io.weft.runtime.master.Analyser source: shared objects file");
        Result off = run(dir, env, weft("run", "--log-dir", runs, "-A", "classCache=false", "-cp",
                program.toString(), "sq.Squares"));
        assertThat(off.stdout()).as("%s", off).isEqualTo(without.stdout());
        assertThat(Files.readString(off.runFolder().resolve("command.txt"))).doesNotContain("-XX:SharedArchiveFile=")
                .doesNotContain("-XX:DumpLoadedClassList=");
    }

    @Test
    void jar_runsItsManifestMainClass() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Path jar = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "sq.Squares");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                Stream<Path> files = Files.walk(program)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(program.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        Result with = run(dir, Map.of(), weft("run", "--log-dir", dir.resolve("runs").toString(), "-jar",
                jar.toString(), "3", "10"));
        assertThat(with.exitCode()).as("%s", with).isEqualTo(3);
        assertThat(with.stdout()).isEqualTo(sequential(dir, "3", "10").stdout());
    }

    @Test
    void badCommandLines_areNamed_withStatus2_andLeaveNoRunFolder() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        String runs = dir.resolve("runs").toString();
        String cp = program.toString();
        assertBad(dir, "did you mean --workers", "run", "--log-dir", runs, "--worker", "2", "-cp", cp, "sq.Squares");
        assertBad(dir, "main class sq.Sqares not found on the class path " + cp + "; did you mean sq.Squares?",
                "run", "--log-dir", runs, "-cp", cp, "sq.Sqares");
        assertBad(dir, "-jar " + dir.resolve("missing.jar") + ": no such file", "run", "--log-dir", runs, "-jar",
                dir.resolve("missing.jar").toString());
        assertBad(dir, "--resources nope.xml: no such file", "run", "--log-dir", runs, "--resources", "nope.xml",
                "-cp", cp, "sq.Squares");
        assertBad(dir, "--wall-clock-limit soon: expected a duration", "run", "--log-dir", runs,
                "--wall-clock-limit", "soon", "-cp", cp, "sq.Squares");
        assertBad(dir, "no program to run", "run", "--log-dir", runs, "-cp", cp);
        assertBad(dir, "unknown command 'runn'", "runn");
        assertBad(dir, "did you mean run?", "runn");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    private static void assertBad(Path dir, String message, String... args) throws Exception {
        Result r = run(dir, Map.of(), weft(args));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.stderr()).as("%s", r).contains(message);
        assertThat(r.stdout()).as("%s", r).isEmpty();
    }

    @Test
    void programArguments_thatLookLikeOptions_goToTheProgram() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Result with = run(dir, Map.of(), weft("run", "--log-dir", dir.resolve("runs").toString(), "-cp",
                program.toString(), "sq.Squares", "--help"));
        assertThat(with.stderr()).as("%s", with).contains("NumberFormatException", "--help");
        assertThat(with.exitCode()).isEqualTo(1);
    }

    @Test
    void wallClockLimit_stopsTheRunInOrder_withStatus124_andNoWorkerLeft() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Process p = start(dir, Map.of(), weft("run", "--workers", "2", "--wall-clock-limit", "4s",
                "--jvm-option=-Dsq.sleep=400", "--worker-jvm-option=-Dsq.sleep=400", "--log-dir",
                dir.resolve("runs").toString(), "-cp", program.toString(), "sq.Squares", "normal", "200"));
        // The script execs the program's JVM: the workers are its children.
        List<ProcessHandle> workers = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < until && p.isAlive()) {
            p.descendants().filter(h -> h.info().commandLine().orElse("").contains("WorkerMain"))
                    .filter(h -> !workers.contains(h)).forEach(workers::add);
            Thread.sleep(100);
        }
        Result r = finish(p, 60);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(124);
        assertThat(r.stderr()).contains("weft: the run reached its wall-clock limit of 4 s; stopping with");
        assertThat(workers).as("workers seen while it ran").isNotEmpty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(workers.stream().filter(ProcessHandle::isAlive).toList()).as("workers left behind").isEmpty();
    }

    @Test
    void masterKilled_leavesNoWorkerBehind() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        Process p = start(dir, Map.of(), weft("run", "--workers", "2", "--worker-jvm-option=-Dsq.sleep=400",
                "--log-dir", dir.resolve("runs").toString(), "-cp", program.toString(), "sq.Squares", "normal", "200"));
        List<ProcessHandle> workers = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (workers.size() < 2 && System.nanoTime() < until && p.isAlive()) {
            p.descendants().filter(h -> h.info().commandLine().orElse("").contains("WorkerMain"))
                    .filter(h -> !workers.contains(h)).forEach(workers::add);
            Thread.sleep(100);
        }
        assertThat(workers).as("workers seen while it ran").hasSize(2);
        p.destroyForcibly(); // SIGKILL: no exit hook runs in the master
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(workers.stream().filter(ProcessHandle::isAlive).toList()).as("workers left behind").isEmpty();
        // Its private folder with the run's secret, which it had no chance to delete, goes with the next run.
        Path tmp = Path.of("/tmp");
        String prefix = "weft-run-" + p.pid() + "-";
        Result next = run(dir, Map.of(), weft("run", "--workers", "1", "--log-dir", dir.resolve("runs").toString(),
                "-cp", program.toString(), "sq.Squares", "normal", "2"));
        assertThat(next.exitCode()).as("%s", next).isZero();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList())
                    .as("the killed master's secret folder").isEmpty();
        }
    }

    @Test
    void workerStartedByHand_servesAnExternalNode() throws Exception {
        Path dir = TemporaryFolders.directory("weft-launcher");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path resources = Files.writeString(dir.resolve("resources.xml"), "<ResourcesList><ComputeNode Name=\"n1\">"
                + "<Processor Name=\"MainProcessor\"><ComputingUnits>2</ComputingUnits></Processor></ComputeNode>"
                + "</ResourcesList>\n");
        Path project = Files.writeString(dir.resolve("project.xml"), "<Project><MasterNode><Host>127.0.0.1</Host>"
                + "</MasterNode><ComputeNode Name=\"n1\"><InstallDir>" + ROOT + "</InstallDir><WorkingDir>"
                + dir.resolve("work") + "</WorkingDir><Launch><External Launcher=\"hand\"/></Launch></ComputeNode>"
                + "</Project>\n");
        Map<String, String> env = Map.of("WEFT_RUN_SECRET_FILE", dir.resolve("secret/run.secret").toString());
        Process master = start(dir, env, weft("run", "--resources", resources.toString(), "--project",
                project.toString(), "--master-port", String.valueOf(port), "--summary", "--log-dir",
                dir.resolve("runs").toString(), "-cp", program.toString(), "sq.Squares"));
        Process worker = start(dir, env, weft("worker", "--master", "127.0.0.1:" + port, "--node", "n1", "-cp",
                program.toString(), "--work-dir", Files.createDirectories(dir.resolve("work")).toString()));
        Result m = finish(master, 120);
        assertThat(m.exitCode()).as("%s", m).isZero();
        assertThat(m.stdout()).isEqualTo(sequential(dir).stdout());
        assertThat(m.stderr()).contains("weft: 80 tasks, 0 failed");
        Result w = finish(worker, 30);
        assertThat(w.exitCode()).as("%s", w).isZero();
    }

    @Test
    void distributionArchive_unpacked_runsAProgram() throws Exception {
        Path dir = TemporaryFolders.directory("weft-dist");
        Path archive;
        try (Stream<Path> files = Files.list(ROOT.resolve("distribution/target"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("weft-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no weft-*.tar.gz in distribution/target"));
        }
        Result untar = run(dir, Map.of(), "tar", "xzf", archive.toString());
        assertThat(untar.exitCode()).as("%s", untar).isZero();
        Path home;
        try (Stream<Path> files = Files.list(dir)) {
            home = files.filter(f -> f.getFileName().toString().startsWith("weft-") && Files.isDirectory(f))
                    .findFirst().orElseThrow();
        }
        assertThat(home.resolve("lib/weft-agent.jar")).isRegularFile();
        assertThat(home.resolve("conf/weft.properties")).isRegularFile();
        Result version = run(dir, Map.of(), home.resolve("bin/weft").toString(), "version");
        assertThat(version.exitCode()).as("%s", version).isZero();
        assertThat(version.stdout()).startsWith("weft ").contains("home: " + home);
        Result with = run(dir, Map.of(), home.resolve("bin/weft").toString(), "run", "--log-dir",
                dir.resolve("runs").toString(), "-cp", program.toString(), "sq.Squares");
        assertThat(with.exitCode()).as("%s", with).isZero();
        assertThat(with.stdout()).isEqualTo(sequential(dir).stdout());
    }
}
