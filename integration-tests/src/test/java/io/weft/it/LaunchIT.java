package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers started as {@code project.xml} says: adopted when something else starts them ({@code <External>}, as
 * {@code srun} or a user by hand would), and started as local processes ({@code <Process/>}) with start-up
 * failures reported by node and within a bounded time. Starting them over ssh is {@link SshLaunchIT}.
 */
class LaunchIT {
    private static final String MATMUL = "io.weft.examples.matmul.Matmul";
    /** Blocks of 96 x 96 doubles (74 KB): over the 64 KiB inline limit, so workers fetch them from each other. */
    private static final String[] MATMUL_ARGS = {"3", "96"};
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
    }

    /**
     * Two workers started by hand before the master, each bound to an address of its own (127.0.0.2 and
     * 127.0.0.3, as two hosts would be), find the credentials file once the master has made it, connect, and run
     * the program's tasks, fetching blocks from each other; the output is the sequential one, the master deletes
     * the credentials file it made, and the workers leave when the run ends.
     */
    @Test
    void externalWorkers_startedByHandBeforeTheMaster_areAdopted_andRunTheTasks() throws Exception {
        Path dir = TemporaryFolders.directory("weft-external");
        int port = freePort();
        Path resources = resources(dir, "n1", "n2");
        Path project = project(dir, "<MasterNode><Host>127.0.0.1</Host><Port>" + port + "</Port></MasterNode>",
                node("n1", dir, "<External Launcher=\"hand\"/>"), node("n2", dir, "<External Launcher=\"hand\"/>"));
        Path secret = dir.resolve("run.secret");
        Process w1 = startWorker("n1", "127.0.0.2", port, secret, dir);
        Process w2 = startWorker("n2", "127.0.0.3", port, secret, dir);

        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(MATMUL, MATMUL_ARGS);
        Path record = TemporaryFolders.file("weft-placements", ".jsonl");
        ChildJvm.Result run = ChildJvm.withAgent().env("WEFT_RUN_SECRET_FILE", secret.toString())
                .agentArgs("resources=" + resources + ",project=" + project + ",placements=" + record
                        + ",summary=true")
                .classPath(ChildJvm.EXAMPLES.toAbsolutePath()).timeout(120).run(MATMUL, MATMUL_ARGS);

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo(sequential.stdout());
        assertThat(run.stderr()).contains("waiting up to 60 s for the workers of n1, n2 to connect to 127.0.0.1:"
                + port);
        Set<String> nodes = new TreeSet<>();
        Placements.read(record).entries().forEach(e -> nodes.add(e.node()));
        assertThat(nodes).containsExactly("n1", "n2");
        assertThat(secret).as("the credentials file the master made").doesNotExist();
        assertThat(w1.waitFor(20, TimeUnit.SECONDS) && w2.waitFor(20, TimeUnit.SECONDS))
                .as("the workers leave when the run ends").isTrue();
        assertThat(w1.exitValue()).isZero();
        assertThat(w2.exitValue()).isZero();
    }

    /**
     * Worker JVM options that choose a collector of their own (the agent options' example, {@code -Xmx4g} and
     * ZGC) start the workers: Weft adds its default collector only when none is chosen (two stop the JVM at once),
     * and such workers get a class-data archive made for their heap layout. The output is the sequential one.
     */
    @Test
    void workerJvmOptions_thatChooseACollector_startTheWorkers() throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(MATMUL, MATMUL_ARGS);
        ChildJvm.Result run = ChildJvm.withAgent().agentArgs("workers=2,workerJvmOptions=-Xmx4g;-XX:+UseZGC")
                .classPath(ChildJvm.EXAMPLES.toAbsolutePath()).timeout(120).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo(sequential.stdout());
    }

    /** With tls=true the workers read the run's key and certificate from the credentials file and use them. */
    @Test
    void processWorkers_withTls_runTheTasks_andPrintTheSequentialOutput() throws Exception {
        Path dir = TemporaryFolders.directory("weft-tls");
        Path project = project(dir, "<MasterNode/>", node("t1", dir, "<Process/>"), node("t2", dir, "<Process/>"));
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(MATMUL, MATMUL_ARGS);
        Path record = TemporaryFolders.file("weft-placements", ".jsonl");
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "t1", "t2") + ",project=" + project + ",tls=true"
                        + ",placements=" + record)
                .classPath(ChildJvm.EXAMPLES).timeout(120).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).isEqualTo(sequential.stdout());
        Set<String> nodes = new TreeSet<>();
        Placements.read(record).entries().forEach(e -> nodes.add(e.node()));
        assertThat(nodes).containsExactly("t1", "t2");
    }

    @Test
    void externalWorker_thatNeverConnects_failsTheStartNamingNodeAndAddress() throws Exception {
        Path dir = TemporaryFolders.directory("weft-external");
        int port = freePort();
        Path project = project(dir, "<MasterNode><Host>127.0.0.1</Host><Port>" + port + "</Port></MasterNode>",
                node("n1", dir, "<External Launcher=\"srun\"/>"));
        long start = System.nanoTime();
        ChildJvm.Result run = ChildJvm.withAgent().env("WEFT_RUN_SECRET_FILE", dir.resolve("s").toString())
                .agentArgs("resources=" + resources(dir, "n1") + ",project=" + project + ",workerStartTimeout=2")
                .classPath(ChildJvm.EXAMPLES).timeout(60).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).contains("n1", "no worker connected within 2 s", "started by srun",
                "127.0.0.1:" + port);
        assertThat(run.stdout()).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
    }

    /**
     * Workers start while {@code main} runs: a program that ends before an adopted worker has connected (here, one
     * that never will) ends at once, with its own output and status, rather than wait for the worker's start.
     */
    @Test
    void programThatEndsBeforeAWorkerConnects_doesNotWaitForIt() throws Exception {
        Path dir = TemporaryFolders.directory("weft-external");
        Path classes = SourcePrograms.compile(java.util.Map.of("early/Early.java", """
                package early;
                public class Early {
                    @io.weft.api.Task static int unused(int x) { return x; }
                    public static void main(String[] args) {
                        System.out.println("done before any worker");
                        System.exit(args.length);
                    }
                }
                """), "17");
        Path project = project(dir, "<MasterNode><Host>127.0.0.1</Host></MasterNode>", node("n1", dir,
                "<External/>"));
        long start = System.nanoTime();
        ChildJvm.Result run = ChildJvm.withAgent().env("WEFT_RUN_SECRET_FILE", dir.resolve("s").toString())
                .agentArgs("resources=" + resources(dir, "n1") + ",project=" + project + ",workerStartTimeout=60")
                .classPath(classes).timeout(60).run("early.Early", "x", "y", "z");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("done before any worker\n");
        assertThat(System.nanoTime() - start).as("well within the 60 s the worker is given")
                .isLessThan(TimeUnit.SECONDS.toNanos(30));
        assertThat(dir.resolve("s")).as("the credentials file the master made").doesNotExist();
    }

    @Test
    void externalWorkers_withoutACredentialsFile_areRefusedBeforeAnythingStarts() throws Exception {
        Path dir = TemporaryFolders.directory("weft-external");
        Path project = project(dir, "<MasterNode/>", node("n1", dir, "<External/>"));
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "n1") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES).timeout(60).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).contains("WEFT_RUN_SECRET_FILE", "<External>");
    }

    /**
     * A worker that cannot start is reported at once, even while an adopted worker is still awaited (for up to
     * 60 s by default): the first failure ends the start.
     */
    @Test
    void processWorker_withAnUnusableWorkingDirectory_isReportedByNode_withItsOwnWords() throws Exception {
        Path dir = TemporaryFolders.directory("weft-process");
        Path blocker = Files.writeString(dir.resolve("a-file"), "not a directory");
        Path project = project(dir, "<MasterNode/>", node("good", dir, "<Process/>"),
                "<ComputeNode Name=\"bad\"><InstallDir>/opt/weft</InstallDir><WorkingDir>" + blocker.resolve("sub")
                        + "</WorkingDir><Launch><Process/></Launch></ComputeNode>",
                node("late", dir, "<External/>"));
        long start = System.nanoTime();
        ChildJvm.Result run = ChildJvm.withAgent().env("WEFT_RUN_SECRET_FILE", dir.resolve("s").toString())
                .agentArgs("resources=" + resources(dir, "good", "bad", "late") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES).timeout(60).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).contains("bad", "cannot use the working directory " + blocker.resolve("sub"));
        assertThat(run.stdout()).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
        assertThat(dir.resolve("s")).as("the credentials file the master made").doesNotExist();
    }

    /**
     * A second worker for a node that has its worker, and a worker for a node the run does not have, are refused
     * with a reason, which they print before they exit with status 8; the run goes on with the right one.
     */
    @Test
    void workersForATakenOrUnknownNode_areRefused_andTheRunGoesOn() throws Exception {
        Path dir = TemporaryFolders.directory("weft-external");
        int port = freePort();
        Path project = project(dir, "<MasterNode><Host>127.0.0.1</Host><Port>" + port + "</Port></MasterNode>",
                node("n1", dir, "<External/>"));
        // Made beforehand, as a user may: the master reads it and leaves it, so late workers can use it too.
        Path secret = dir.resolve("run.secret");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.createFile(secret, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, java.util.UUID.randomUUID() + "\n"
                + java.util.Base64.getEncoder().encodeToString(key) + "\n");
        Process first = startWorker("n1", "127.0.0.1", port, secret, dir);
        ChildJvm.Running master = ChildJvm.withAgent().env("WEFT_RUN_SECRET_FILE", secret.toString())
                .agentArgs("resources=" + resources(dir, "n1") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES).timeout(120).start(MATMUL, "2", "200");
        Process duplicate = startWorker("n1", "127.0.0.1", port, secret, Files.createDirectories(dir.resolve("d")));
        Process unknown = startWorker("zz", "127.0.0.1", port, secret, Files.createDirectories(dir.resolve("u")));
        assertThat(duplicate.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unknown.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ChildJvm.Result run = master.await();
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stderr()).contains("refused worker n1", "already part of the run", "refused worker zz",
                "awaits no worker for node zz");
        // Either n1 worker may have connected first: the other one is refused.
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(List.of(first.exitValue(), duplicate.exitValue())).containsExactlyInAnyOrder(0, 8);
        Path refusedErr = (first.exitValue() == 8 ? dir : dir.resolve("d")).resolve("n1.err");
        assertThat(Files.readString(refusedErr)).contains("already part of the run");
        assertThat(unknown.exitValue()).isEqualTo(8);
        assertThat(Files.readString(dir.resolve("u").resolve("zz.err"))).contains("awaits no worker");
        assertThat(secret).as("a credentials file the user made is left to the user").exists();
    }

    @Test
    void processWorker_askingForAnotherUser_isRefusedWithTheWayOut() throws Exception {
        Path dir = TemporaryFolders.directory("weft-process");
        Path project = project(dir, "<MasterNode/>",
                "<ComputeNode Name=\"n1\"><InstallDir>/opt/weft</InstallDir><WorkingDir>" + dir
                        + "</WorkingDir><User>weft-nobody</User><Launch><Process/></Launch></ComputeNode>");
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "n1") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES).timeout(60).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stderr()).contains("n1", "weft-nobody", "<Ssh>");
    }

    /**
     * A finished run leaves no folder of its own: neither the node's folder inside a {@code WorkingDir} (nor that
     * {@code WorkingDir}, when the run made it), nor, for a local cluster, anything in the temporary folder; and a
     * local cluster removes the empty folder a killed master left there.
     */
    @Test
    void finishedRun_leavesNoEmptyFoldersBehind() throws Exception {
        Path dir = TemporaryFolders.directory("weft-process");
        Path project = project(dir, "<MasterNode/>", node("n1", dir, "<Process/>"), node("n2", dir, "<Process/>"));
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "n1", "n2") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES).timeout(60).run(MATMUL, MATMUL_ARGS);
        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(dir.resolve("work-n1")).as("n1's WorkingDir, which the run made").doesNotExist();
        assertThat(dir.resolve("work-n2")).as("n2's WorkingDir, which the run made").doesNotExist();

        Path tmp = TemporaryFolders.directory("weft-tmp");
        // What a master killed an hour ago left (its workers emptied their own folders): this run removes it.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path killed = Files.createDirectories(tmp.resolve("weft-workers-" + gone.pid() + "-42").resolve("worker1"));
        Path lock = Files.createFile(killed.resolveSibling("master.lock")); // the lock it held is free
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        for (Path p : List.of(killed, lock, killed.getParent())) {
            Files.setLastModifiedTime(p, hourAgo);
        }
        ChildJvm.Result cluster = ChildJvm.withAgent().jvmOption("-Djava.io.tmpdir=" + tmp).agentArgs("workers=2")
                .classPath(ChildJvm.EXAMPLES).timeout(60).run(MATMUL, MATMUL_ARGS);
        assertThat(cluster.exitCode()).as("%s", cluster).isZero();
        try (var left = Files.walk(tmp)) {
            // The class-data cache of the workers' start-up classes stays by design (docs/distributed.md#start-up).
            assertThat(left.skip(1).map(tmp::relativize).map(Path::toString)
                    .filter(p -> !p.startsWith("weft-class-cache-")))
                    .as("left in the master's temporary folder by a local cluster").isEmpty();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A worker as a user (or srun) would start it: the agent jar, the application, the node in the environment. */
    private Process startWorker(String node, String bind, int masterPort, Path secret, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = String.join(File.pathSeparator, ChildJvm.AGENT.toAbsolutePath().toString(),
                ChildJvm.EXAMPLES.toAbsolutePath().toString(), ChildJvm.API.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath, "io.weft.runtime.worker.process.WorkerMain",
                "--master", "127.0.0.1:" + masterPort, "--work-dir", dir.resolve("work-" + node).toString(),
                "--bind", bind, "--cores", "1")
                .redirectOutput(dir.resolve(node + ".out").toFile())
                .redirectError(dir.resolve(node + ".err").toFile());
        builder.environment().put("WEFT_NODE", node);
        builder.environment().put("WEFT_RUN_SECRET_FILE", secret.toString());
        Process p = builder.start();
        started.add(p);
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Nodes of one computing unit each. */
    private static Path resources(Path dir, String... names) throws Exception {
        StringBuilder xml = new StringBuilder("<ResourcesList>\n");
        for (String name : names) {
            xml.append("  <ComputeNode Name=\"").append(name).append("\"><Processor Name=\"MainProcessor\">")
                    .append("<ComputingUnits>1</ComputingUnits></Processor></ComputeNode>\n");
        }
        return Files.writeString(dir.resolve("resources.xml"), xml.append("</ResourcesList>\n").toString());
    }

    private static String node(String name, Path dir, String launch) {
        return "<ComputeNode Name=\"" + name + "\"><InstallDir>/opt/weft</InstallDir><WorkingDir>"
                + dir.resolve("work-" + name) + "</WorkingDir><Launch>" + launch + "</Launch></ComputeNode>";
    }

    private static Path project(Path dir, String master, String... nodes) throws Exception {
        return Files.writeString(dir.resolve("project.xml"), "<Project>\n" + master + "\n"
                + String.join("\n", nodes) + "\n</Project>\n");
    }
}
