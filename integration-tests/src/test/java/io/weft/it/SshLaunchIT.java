package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workers started over ssh ({@code <Launch><Ssh><Command>…}), through a real OpenSSH server the class starts on a
 * free port of 127.0.0.1 with keys of its own ({@link Sshd}): the runs print what they print sequentially with
 * their tasks on the ssh nodes, the workers are sessions of that sshd and end with the run, a node's environment
 * script is sourced on the remote side, and a worker that cannot start (no agent jar where {@code InstallDir} says,
 * ssh refused) stops the master with status 2, naming the node with the remote side's or ssh's own words.
 * Each test is skipped where {@code /usr/sbin/sshd} is not installed, and fails there in CI, which installs
 * {@code openssh-server} ({@link RequiredTool}).
 */
class SshLaunchIT {
    private static final String MATMUL = "io.weft.examples.matmul.Matmul";
    private static final String[] MATMUL_ARGS = {"4", "32"};
    private static final String WORKER_MAIN = "io.weft.runtime.worker.process.WorkerMain";
    private static final Pattern NODE_ARGUMENT = Pattern.compile("--node (\\S+)");
    /** Where Weft is installed on the (ssh) nodes: the directory of the agent jar the build made. */
    private static final Path INSTALL_DIR = ChildJvm.AGENT.toAbsolutePath().normalize().getParent();
    private static final long TIMEOUT = 60;

    private static Sshd sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        if (Sshd.installed()) {
            assertThat(INSTALL_DIR.resolve("weft-agent.jar")).as("the agent jar, where InstallDir says")
                    .isRegularFile();
            sshd = Sshd.start();
        }
    }

    @BeforeEach
    void needsSshd() {
        RequiredTool.assume(sshd != null, Sshd.SSHD + " is not installed (Debian/Ubuntu: apt-get install"
                + " openssh-server): the workers started over ssh are not tested here");
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    // ---------------------------------------------------------------- runs

    /** With tls=true the key and certificate reach the workers through ssh's standard input, with the secret. */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void matmul_withTwoSshWorkers_printsWhatItsSequentialRunPrints_withTasksOnBoth(boolean tls) throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(MATMUL, MATMUL_ARGS);
        assertThat(sequential.exitCode()).as("sequential run: %s", sequential).isZero();
        assertThat(sequential.stdout()).isNotBlank();

        Path dir = TemporaryFolders.directory("weft-ssh");
        Path record = TemporaryFolders.file("weft-placements", ".jsonl");
        Path project = project(dir, sshNode("ssh1", dir, INSTALL_DIR, sshd.template(), ""),
                sshNode("ssh2", dir, INSTALL_DIR, sshd.template(), ""));
        ChildJvm.Running master = ChildJvm.withAgent()
                // Both serve before main: the small product's tasks would otherwise all go to the first one up.
                .agentArgs("resources=" + resources(dir, "ssh1", "ssh2") + ",project=" + project + ",placements="
                        + record + ",summary=true,awaitWorkers=true,tls=" + tls)
                .classPath(ChildJvm.EXAMPLES).timeout(TIMEOUT).start(MATMUL, MATMUL_ARGS);
        Map<String, ProcessHandle> workers = new TreeMap<>();
        ChildJvm.Result run;
        try {
            // The workers are processes of sshd's sessions, not of the master: note them while the run lasts.
            while (master.process().isAlive()) {
                for (ProcessHandle p : sshd.running(WORKER_MAIN)) {
                    Matcher node = NODE_ARGUMENT.matcher(p.info().commandLine().orElse(""));
                    if (node.find()) {
                        workers.putIfAbsent(node.group(1), p);
                    }
                }
                Thread.sleep(20);
            }
            run = master.await();
        } catch (Throwable t) {
            master.kill();
            throw t;
        }

        assertThat(run.exitCode()).as("%s\n--- sshd log\n%s", run, sshd.log()).isZero();
        assertThat(run.stdout()).as("stdout with ssh workers").isEqualTo(sequential.stdout());
        Matcher summary = Pattern.compile("weft: (\\d+) tasks, 0 failed, .* on 2 nodes").matcher(run.stderr());
        assertThat(summary.find()).as("summary: %s", run.stderr()).isTrue();
        Placements placements = Placements.read(record);
        assertThat(placements.entries()).as("one placement per task").hasSize(Integer.parseInt(summary.group(1)))
                .allMatch(e -> !e.failed() && e.attempt() == 1);
        Set<String> nodes = new TreeSet<>();
        placements.entries().forEach(e -> nodes.add(e.node()));
        assertThat(nodes).as("the nodes tasks ran on").containsExactly("ssh1", "ssh2");
        assertThat(workers.keySet()).as("worker processes started by sshd").containsExactly("ssh1", "ssh2");
        for (Map.Entry<String, ProcessHandle> w : workers.entrySet()) {
            assertThat(ended(w.getValue(), 20)).as("the worker of %s ended with the run", w.getKey()).isTrue();
        }
    }

    @Test
    void environmentScript_isSourcedOnTheRemoteSide_beforeTheWorkerStarts() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("probe/Probe.java", """
                package probe;
                import io.weft.api.*;
                public class Probe {
                    @Task static String probe() { return String.valueOf(System.getenv("WEFT_SSH_PROBE")); }
                    public static void main(String[] a) { System.out.println("probe " + probe()); }
                }
                """), "17");
        Path dir = TemporaryFolders.directory("weft-ssh");
        // A directory name with a space: the script's path goes through ssh and the remote shell as one word.
        Path script = Files.createDirectories(dir.resolve("env scripts")).resolve("probe.sh");
        Files.writeString(script, "export WEFT_SSH_PROBE=sourced\n");
        Path project = project(dir, sshNode("ssh1", dir, INSTALL_DIR, sshd.template(),
                "<Application><EnvironmentScript>" + script + "</EnvironmentScript></Application>"));
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "ssh1") + ",project=" + project)
                .classPath(classes).timeout(TIMEOUT).run("probe.Probe");
        assertThat(run.exitCode()).as("%s\n--- sshd log\n%s", run, sshd.log()).isZero();
        // Not the sequential run's output: there the task runs in the program's own JVM, where the variable is
        // not set, and it prints "probe null". Only the worker, started after the script, sees it.
        assertThat(run.stdout()).isEqualTo("probe sourced\n");
        assertThat(System.getenv("WEFT_SSH_PROBE")).as("the variable is not the tests' own").isNull();
    }

    // ---------------------------------------------------------------- failures to start

    /**
     * The good node's worker starts; the other's JVM stops at once, as there is no agent jar in its
     * {@code InstallDir}: the master stops too, with what that JVM said on the remote side, and its other worker
     * goes away with it.
     */
    @Test
    void installDirWithoutTheAgentJar_failsTheStart_namingTheNode_withTheRemoteJvmsWords() throws Exception {
        Path dir = TemporaryFolders.directory("weft-ssh");
        Path empty = Files.createDirectories(dir.resolve("no-weft-here"));
        Path project = project(dir, sshNode("good", dir, INSTALL_DIR, sshd.template(), ""),
                sshNode("broken", dir, empty, sshd.template(), ""));
        long start = System.nanoTime();
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "good", "broken") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES.toAbsolutePath()).timeout(TIMEOUT).run(MATMUL, MATMUL_ARGS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        // Not isEmpty(): the worker's standard output goes to the master's, and a JVM that cannot start says
        // "Error occurred during initialization of VM" there.
        assertThat(run.stdout()).as("main never ran").doesNotContain("matmul ");
        assertThat(run.stderr()).contains("weft: error: ", "'broken'",
                "Error opening zip file or JAR manifest missing", empty.resolve("weft-agent.jar").toString());
        assertThat(seconds).as("seconds to the error").isLessThan(TIMEOUT);
        assertNoWorkersLeft();
    }

    /**
     * ssh itself fails: nothing listens on the port, or the key is not one sshd lets in. A refused connection
     * ends ssh at once, often before the master has written the run's secret to its standard input: that is
     * still ssh's failure, to be reported with ssh's words.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"closed port", "unknown key"})
    void sshRefused_failsTheStart_namingTheNode_withSshsWords(String what) throws Exception {
        boolean closedPort = what.equals("closed port");
        String template = closedPort ? sshd.template(closedPort(), sshd.key) : sshd.template(sshd.port,
                sshd.strangerKey);
        Path dir = TemporaryFolders.directory("weft-ssh");
        Path project = project(dir, sshNode("unreachable", dir, INSTALL_DIR, template, ""));
        long start = System.nanoTime();
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("resources=" + resources(dir, "unreachable") + ",project=" + project)
                .classPath(ChildJvm.EXAMPLES.toAbsolutePath()).timeout(TIMEOUT).run(MATMUL, MATMUL_ARGS);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("weft: error: ", "'unreachable'",
                closedPort ? "Connection refused" : "Permission denied");
        assertThat(seconds).as("seconds to the error").isLessThan(TIMEOUT);
        assertNoWorkersLeft();
    }

    // ---------------------------------------------------------------- helpers

    /** No worker process of sshd's sessions outlives the run (within 20 s). */
    private static void assertNoWorkersLeft() throws InterruptedException {
        for (ProcessHandle p : sshd.running(WORKER_MAIN)) {
            assertThat(ended(p, 20)).as("worker %s ended with the run", p.info().commandLine().orElse("?")).isTrue();
        }
    }

    private static boolean ended(ProcessHandle p, long seconds) throws InterruptedException {
        try {
            p.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        }
    }

    /** A port of 127.0.0.1 nothing listens on (free a moment ago). */
    private static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Nodes of one computing unit each. */
    private static Path resources(Path dir, String... names) throws Exception {
        StringBuilder xml = new StringBuilder("<ResourcesList>\n");
        for (String name : names) {
            xml.append("  <ComputeNode Name=\"").append(name).append("\">\n")
                    .append("    <Processor Name=\"MainProcessor\"><ComputingUnits>1</ComputingUnits></Processor>\n")
                    .append("    <Memory><Size>1GB</Size></Memory>\n")
                    .append("    <OperatingSystem><Type>Linux</Type></OperatingSystem>\n")
                    .append("  </ComputeNode>\n");
        }
        return Files.writeString(dir.resolve("resources.xml"), xml.append("</ResourcesList>\n").toString());
    }

    /**
     * A node reached over ssh at 127.0.0.1 as the current user, with a working directory of its own; no
     * {@code <Classpath>}, so the workers use the master's class path (absolute paths, valid on this "remote" host).
     */
    private static String sshNode(String name, Path dir, Path installDir, String template, String more) {
        return "  <ComputeNode Name=\"" + name + "\">\n"
                + "    <InstallDir>" + installDir + "</InstallDir>\n"
                + "    <WorkingDir>" + dir.resolve("work-" + name) + "</WorkingDir>\n"
                + "    <Host>127.0.0.1</Host>\n"
                + "    <User>" + System.getProperty("user.name") + "</User>\n"
                + (more.isEmpty() ? "" : "    " + more + "\n")
                + "    <Launch><Ssh><Command>" + template + "</Command></Ssh></Launch>\n"
                + "  </ComputeNode>";
    }

    /** The master listens on 127.0.0.1, where the workers reach it. */
    private static Path project(Path dir, String... nodes) throws Exception {
        return Files.writeString(dir.resolve("project.xml"), "<Project>\n  <MasterNode><Host>127.0.0.1</Host>"
                + "</MasterNode>\n" + String.join("\n", nodes) + "\n</Project>\n");
    }
}
