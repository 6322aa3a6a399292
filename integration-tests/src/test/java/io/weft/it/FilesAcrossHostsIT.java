package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Files between workers that share no disk with the master or with each other. Each worker is started (as
 * {@code srun} or a user would, and adopted through {@code <External>}) in a mount namespace of its own, with an
 * empty tmpfs mounted over the program's data directory: the master's files are really out of its sight. Tasks still
 * read, write and update them, the program prints what its sequential run prints, and the master's files end up
 * holding the tasks' results. A disk declared shared in {@code resources.xml} is used in place, with no copy.
 *
 * <p>Needs root (to mount) and {@code unshare}; each test is skipped otherwise, or fails in CI, which runs
 * {@code .ci/run} as root ({@link RequiredTool}).
 */
class FilesAcrossHostsIT {
    private static final long TIMEOUT = 120;
    private final List<Process> started = new ArrayList<>();

    private static String noMountNamespaces;

    @BeforeAll
    static void tryMountNamespaces() throws Exception {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
                    "mount -t tmpfs none /mnt").redirectErrorStream(true).start();
            boolean ok = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            noMountNamespaces = ok ? null : "mount namespaces need root and unshare: "
                    + new String(p.getInputStream().readAllBytes());
        } catch (java.io.IOException e) {
            noMountNamespaces = "mount namespaces need root and unshare, which cannot be run: " + e.getMessage();
        }
    }

    @BeforeEach
    void needsMountNamespaces() {
        RequiredTool.assume(noMountNamespaces == null, noMountNamespaces);
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
    }

    /**
     * {@link ClusterIT}'s file program (writes, appends through {@code Path} and {@code File}, rewrites, reads),
     * then commutative updates and a file of several chunks, on two workers that cannot see the files.
     */
    static final String MORE = """
            package files;
            import io.weft.api.*;
            import java.io.*;
            import java.nio.ByteBuffer;
            import java.nio.channels.FileChannel;
            import java.nio.file.*;

            public class Files3 {
                /** Adds n to the number in f: any order gives the same sum. */
                @Task static void add(@Commutative Path f, int n) throws IOException {
                    long v = Long.parseLong(Files.readString(f).trim());
                    Files.writeString(f, Long.toString(v + n));
                }

                /** Several chunks' worth (the wire moves files 4 MiB at a time), written from a seed. */
                @Task static void big(@Out Path f, int seed, int longs) throws IOException {
                    ByteBuffer b = ByteBuffer.allocate(longs * 8);
                    for (int i = 0; i < longs; i++) b.putLong((long) seed * i + i);
                    b.flip();
                    try (FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        while (b.hasRemaining()) c.write(b);
                    }
                }

                @Task static long sum(Path f) throws IOException {
                    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f));
                    long s = 0;
                    while (b.remaining() >= 8) s += b.getLong();
                    return s + 1_000_000_000L * (Files.size(f) % 8);
                }

                @Task static void bump(@InOut Path f) throws IOException {
                    byte[] bytes = Files.readAllBytes(f);
                    bytes[bytes.length - 1]++;
                    Files.write(f, bytes);
                }

                public static void main(String[] args) throws IOException {
                    Files2.main(args);
                    Path dir = Path.of(args[0]);
                    Path n = dir.resolve("number.txt");
                    Path h = dir.resolve("big.bin");
                    Files.writeString(n, "100");
                    for (int i = 1; i <= 6; i++) add(n, i);
                    big(h, 7, 1_300_000); // 10.4 MB: three chunks
                    long s1 = sum(h);
                    bump(h);
                    long s2 = sum(h);
                    System.out.println("n: " + Files.readString(n));
                    System.out.println("big: " + Files.size(h) + " bytes, sums " + s1 + " " + s2);
                }
            }
            """;

    @Test
    void files_onWorkersThatCannotSeeThem_areStreamedBetweenThem_andTheProgramPrintsItsSequentialOutput()
            throws Exception {
        Path classes = SourcePrograms.compile(Map.of("files/Files2.java", ClusterIT.FILES, "files/Files3.java", MORE),
                "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes)
                .run("files.Files3", TemporaryFolders.directory("weft-hosts-seq").toString());
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        assertThat(sequential.stdout()).contains("0:start", "3:THREE", "four", "n: 121", "big: 10400000 bytes");

        for (String tls : List.of("false", "true")) {
            Path dir = TemporaryFolders.directory("weft-hosts");
            Path data = Files.createDirectories(dir.resolve("data"));
            Path record = TemporaryFolders.file("weft-placements", ".jsonl");
            ChildJvm.Result run = run(dir, data, classes, "", "tls=" + tls + ",scheduler=fifo,placements="
                    + record, "files.Files3", data.toString());
            assertThat(run.exitCode()).as("tls=%s: %s", tls, run).isZero();
            assertThat(run.stdout()).as("tls=%s", tls).isEqualTo(sequential.stdout());
            Set<String> nodes = new TreeSet<>();
            Placements.read(record).entries().forEach(e -> nodes.add(e.node()));
            assertThat(nodes).as("tls=%s: the nodes tasks ran on", tls).containsExactly("h1", "h2");
            assertThat(data.resolve("number.txt")).as("the program's own file").hasContent("121");
        }
    }

    /** What a task sees: the path it is given, and what the file there holds. */
    static final String WHERE = """
            package hosts;
            import io.weft.api.*;
            import java.io.IOException;
            import java.nio.file.*;

            public class Where {
                @Task static String seen(Path f) throws IOException { return f + " holds " + Files.readString(f); }

                @Task static void together(@Concurrent Path f) throws IOException {
                    Files.writeString(f, "x", StandardOpenOption.APPEND);
                }

                public static void main(String[] args) throws IOException {
                    Path f = Path.of(args[0]).resolve("input.txt");
                    Files.writeString(f, "hello");
                    System.out.println(seen(f));
                    if (args.length > 1) {
                        together(f);
                        System.out.println(Files.readString(f));
                    }
                }
            }
            """;

    @Test
    void aTask_onAWorkerThatCannotSeeTheFile_getsACopyInItsWorkingDirectory_underTheFilesName() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("hosts/Where.java", WHERE), "17");
        Path dir = TemporaryFolders.directory("weft-where");
        Path data = Files.createDirectories(dir.resolve("data"));
        ChildJvm.Result run = run(dir, data, classes, "", "", "hosts.Where", data.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).matches("(?s)" + java.util.regex.Pattern.quote(dir.resolve("work-h").toString())
                + "[12]/.*/input\\.txt holds hello\\R");
    }

    @Test
    void aConcurrentFileUpdate_onAWorkerThatCannotSeeTheFile_failsSayingItNeedsASharedDisk() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("hosts/Where.java", WHERE), "17");
        Path dir = TemporaryFolders.directory("weft-where");
        Path data = Files.createDirectories(dir.resolve("data"));
        ChildJvm.Result run = run(dir, data, classes, "", "", "hosts.Where", data.toString(), "concurrent");
        assertThat(run.exitCode()).as("%s", run).isNotZero();
        assertThat(run.stderr()).contains("Where.together", "concurrently", "does not see that path",
                "SharedDisk");
        assertThat(Files.readString(data.resolve("input.txt"))).as("the file is left as it was").isEqualTo("hello");
    }

    /**
     * A directory declared as a shared disk both nodes mount is used where it is: the task gets the master's own
     * path (here the workers see it, as they would on a cluster file system).
     */
    @Test
    void aFileOnADeclaredSharedDisk_isUsedInPlace_withoutACopy() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("hosts/Where.java", WHERE), "17");
        Path dir = TemporaryFolders.directory("weft-shared");
        Path data = Files.createDirectories(dir.resolve("data")).toRealPath();
        String disk = "<SharedDisks><AttachedDisk Name=\"scratch\"><MountPoint>" + data
                + "</MountPoint></AttachedDisk></SharedDisks>";
        ChildJvm.Result run = run(dir, null, classes, disk, "", "hosts.Where", data.toString());
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo(data.resolve("input.txt") + " holds hello\n");
    }

    // ---------------------------------------------------------------- two "hosts"

    /**
     * Runs {@code main} with two adopted workers, h1 and h2, each bound to an address of its own; with
     * {@code hidden}, each in a mount namespace where that directory is an empty tmpfs.
     */
    private ChildJvm.Result run(Path dir, Path hidden, Path classes, String nodeExtra, String agentArgs, String main,
            String... args) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        StringBuilder resources = new StringBuilder("<ResourcesList>\n<SharedDisk Name=\"scratch\"/>\n");
        StringBuilder project = new StringBuilder("<Project><MasterNode><Host>127.0.0.1</Host><Port>" + port
                + "</Port></MasterNode>\n");
        for (String node : List.of("h1", "h2")) {
            resources.append("<ComputeNode Name=\"").append(node).append("\"><Processor Name=\"MainProcessor\">")
                    .append("<ComputingUnits>1</ComputingUnits></Processor>").append(nodeExtra)
                    .append("</ComputeNode>\n");
            project.append("<ComputeNode Name=\"").append(node).append("\"><InstallDir>/opt/weft</InstallDir>")
                    .append("<WorkingDir>").append(dir.resolve("work-" + node)).append("</WorkingDir>")
                    .append("<Launch><External/></Launch></ComputeNode>\n");
        }
        Path resourcesFile = Files.writeString(dir.resolve("resources.xml"), resources + "</ResourcesList>\n");
        Path projectFile = Files.writeString(dir.resolve("project.xml"), project + "</Project>\n");
        Path secret = dir.resolve("run.secret");
        startWorker("h1", "127.0.0.2", port, secret, dir, hidden, classes);
        startWorker("h2", "127.0.0.3", port, secret, dir, hidden, classes);
        return ChildJvm.withAgent().env("WEFT_RUN_SECRET_FILE", secret.toString())
                .agentArgs("resources=" + resourcesFile + ",project=" + projectFile
                        + (agentArgs.isEmpty() ? "" : "," + agentArgs))
                .classPath(classes).timeout(TIMEOUT).run(main, args);
    }

    private void startWorker(String node, String bind, int masterPort, Path secret, Path dir, Path hidden,
            Path classes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator, ChildJvm.AGENT.toAbsolutePath().toString(),
                classes.toAbsolutePath().toString(), ChildJvm.API.toAbsolutePath().toString());
        String worker = "exec '" + java + "' -cp '" + classPath + "' io.weft.runtime.worker.process.WorkerMain"
                + " --master 127.0.0.1:" + masterPort + " --work-dir '" + dir.resolve("work-" + node) + "' --bind "
                + bind + " --cores 1";
        List<String> command = hidden == null ? List.of("sh", "-c", worker)
                : List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                        "mount -t tmpfs weft-hidden '" + hidden + "' && " + worker);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(node + ".out").toFile())
                .redirectError(dir.resolve(node + ".err").toFile());
        builder.environment().put("WEFT_NODE", node);
        builder.environment().put("WEFT_RUN_SECRET_FILE", secret.toString());
        started.add(builder.start());
    }
}
