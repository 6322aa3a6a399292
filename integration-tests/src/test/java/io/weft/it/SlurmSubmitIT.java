package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code weft submit} against a real SLURM: the one {@code .ci/slurm-ci.sh up} starts with three emulated nodes
 * ({@code SLURM_FAKE_NODES=3}: node1..node3 on this host, 2 CPUs each), which {@code .ci/run} starts and announces
 * with {@code WEFT_SLURM_CI=1}. Without that variable (or without a cluster answering) each test is skipped, saying
 * how to start one, and fails in CI ({@link RequiredTool}): the tests submit jobs, so they never run against a
 * cluster that was not started for them.
 *
 * <p>Each job is submitted with {@code --wait}, through {@code bin/weft} at the repository's root as a user would, and
 * checked for what it printed, its exit status, its run folder, and that nothing it started is left: no master, no
 * worker JVM, on any node (all of them this host), found by the job's own markers on their command lines (its run
 * folder, its workers' {@code weft-job-<id>-} folders).
 */
class SlurmSubmitIT {
    private static final Path ROOT = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath()
            .normalize();
    private static final Path WEFT = ROOT.resolve("bin/weft");
    private static final String MATMUL = "io.weft.examples.matmul.Matmul";
    private static final Pattern SUBMITTED = Pattern.compile("weft: submitted job (\\d+); run folder (\\S+)");

    /** A program of 180 one-second tasks, one after another: three minutes, far longer than a one-minute job. */
    private static final String SLOW = """
            import io.weft.api.Task;

            public class Slow {
                static final class Tick {
                    final int v;

                    Tick(int v) {
                        this.v = v;
                    }
                }

                @Task
                static Tick tick(int i) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return new Tick(i);
                }

                public static void main(String[] args) {
                    long sum = 0;
                    for (int i = 0; i < 180; i++) {
                        sum += tick(i).v;
                    }
                    System.out.println("sum " + sum);
                }
            }
            """;

    @BeforeEach
    void needsSlurm() {
        RequiredTool.assume("1".equals(System.getenv("WEFT_SLURM_CI")) && clusterOfThree(),
                "no SLURM cluster started for the tests (WEFT_SLURM_CI=1 and three idle nodes): start one with"
                        + " 'SLURM_FAKE_NODES=3 bash .ci/slurm-ci.sh up' and export WEFT_SLURM_CI=1; weft submit is"
                        + " not tested here");
        assertThat(WEFT).as("bin/weft at the repository's root").isExecutable();
    }

    @Test
    void matmulOnThreeNodes_printsWhatItsSequentialRunPrints_withTasksOnSeveralNodes() throws Exception {
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(ChildJvm.EXAMPLES).run(MATMUL, "4", "200");
        assertThat(sequential.exitCode()).as("sequential run: %s", sequential).isZero();
        Path logs = TemporaryFolders.directory("weft-slurm-runs");
        Path record = TemporaryFolders.file("weft-slurm-placements", ".jsonl");

        Submission s = submit(logs, "--nodes", "3", "--time", "3", "--wait", "--summary", "-A",
                "placements=" + record, "-cp", ChildJvm.EXAMPLES.toAbsolutePath().toString(), MATMUL, "4", "200");

        assertThat(s.status()).as("weft submit --wait: %s", s).isZero();
        assertThat(s.stderr()).contains("weft: job " + s.job() + " ended COMPLETED, exit status 0");
        assertThat(s.jobOutput()).as("the job's output").isEqualTo(sequential.stdout());
        assertThat(s.jobErrors()).contains("on 2 nodes");
        Set<String> nodes = new TreeSet<>();
        Placements.read(record).entries().forEach(e -> nodes.add(e.node()));
        assertThat(nodes).as("the nodes tasks ran on").containsExactly("node2", "node3");
        assertThat(s.runFolder()).isDirectoryContaining(p -> p.getFileName().toString().equals("job.sh"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("resources.xml"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("project.xml"))
                .isDirectoryNotContaining(p -> p.getFileName().toString().equals("private"));
        assertThat(s.runFolder().resolve("workers/node2.err")).as("the standard error of node2's worker").exists();
        assertNothingLeft(s);
    }

    @Test
    void jobShorterThanItsProgram_stopsAtTheWallClockLimit_sayingSo_andLeavesNothing() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Slow.java", SLOW), "17");
        Path logs = TemporaryFolders.directory("weft-slurm-runs");

        Submission s = submit(logs, "--nodes", "3", "--time", "1", "--wait", "-cp", classes.toString(), "Slow");

        assertThat(s.status()).as("weft submit --wait: %s", s).isEqualTo(124);
        assertThat(s.jobErrors()).contains("weft: the run reached its wall-clock limit of")
                .contains("weft: job " + s.job() + " stopped its run at the time limit (exit status 124)");
        assertThat(s.jobOutput()).doesNotContain("sum");
        assertNothingLeft(s);
    }

    /** 240 tasks of 2 s, all submitted before any is waited for: about 80 s on the six cores of three nodes. */
    private static final String TICKS = """
            import io.weft.api.Task;
            import java.util.ArrayList;
            import java.util.List;

            public class Ticks {
                static final class Tick {
                    int v;

                    Tick(int v) {
                        this.v = v;
                    }
                }

                @Task
                static Tick tick(int i) {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return new Tick(i);
                }

                public static void main(String[] args) {
                    List<Tick> ticks = new ArrayList<>();
                    for (int i = 0; i < 240; i++) {
                        ticks.add(tick(i));
                    }
                    long sum = 0;
                    for (Tick t : ticks) {
                        sum += t.v;
                    }
                    System.out.println("sum " + sum);
                }
            }
            """;

    @Test
    void jobStoppedAtItsTimeLimit_submittedAgainWithItsCheckpointFolder_resumesWhereItStopped() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("Ticks.java", TICKS), "17");
        Path logs = TemporaryFolders.directory("weft-slurm-runs");
        Path checkpoint = TemporaryFolders.directory("weft-slurm-ck").resolve("ticks");

        Submission first = submit(logs, "--nodes", "3", "--time", "1", "--wait", "-A", "checkpoint=" + checkpoint,
                "-cp", classes.toString(), "Ticks");
        assertThat(first.status()).as("weft submit --wait: %s", first).isEqualTo(124);
        assertThat(first.jobOutput()).doesNotContain("sum");
        assertNothingLeft(first);

        Submission again = submit(logs, "--nodes", "3", "--time", "3", "--wait", "-A", "checkpoint=" + checkpoint,
                "-cp", classes.toString(), "Ticks");
        assertThat(again.status()).as("weft submit --wait: %s", again).isZero();
        assertThat(again.jobOutput()).contains("sum 28680");
        java.util.regex.Matcher saved = java.util.regex.Pattern.compile("weft: resuming from checkpoint folder "
                + java.util.regex.Pattern.quote(checkpoint.toString()) + ": (\\d+) tasks saved by earlier runs")
                .matcher(again.jobErrors());
        assertThat(saved.find()).as("%s", again).isTrue();
        assertThat(Integer.parseInt(saved.group(1))).as("ticks the first job finished").isBetween(20, 239);
        assertThat(again.jobErrors()).contains(saved.group(1) + " tasks were not run again: their outputs came from"
                + " checkpoint folder " + checkpoint);
        assertNothingLeft(again);
    }

    @Test
    void workerThatCannotStart_stopsTheJobAtOnce_namingTheNode() throws Exception {
        Path logs = TemporaryFolders.directory("weft-slurm-runs");
        Path file = TemporaryFolders.file("weft-not-a-folder", ".txt");

        Submission s = submit(logs, "--nodes", "2", "--time", "2", "--wait", "--worker-working-dir",
                file.toString(), "-cp", ChildJvm.EXAMPLES.toAbsolutePath().toString(), MATMUL, "4", "32");

        assertThat(s.status()).as("weft submit --wait: %s", s).isEqualTo(2);
        assertThat(s.jobErrors()).contains("weft worker node2: cannot use the working directory")
                .contains("weft: stopping job " + s.job() + ": no worker could start on node2");
        assertNothingLeft(s);
    }

    // ---------------------------------------------------------------- harness

    /** What {@code weft submit} printed and how it ended, and the job it submitted. */
    record Submission(int status, String stdout, String stderr, String job, Path runFolder) {
        String jobOutput() throws IOException {
            return Files.readString(runFolder.resolve("job-" + job + ".out"), StandardCharsets.UTF_8);
        }

        String jobErrors() throws IOException {
            return Files.readString(runFolder.resolve("job-" + job + ".err"), StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String err;
            try {
                err = jobErrors();
            } catch (IOException | RuntimeException e) {
                err = "(none: " + e + ")";
            }
            return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr + "--- the job's errors\n"
                    + err;
        }
    }

    private static Submission submit(Path logs, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(WEFT.toString(), "submit", "--log-dir", logs.toString()));
        command.addAll(List.of(options));
        Path out = TemporaryFolders.file("weft-submit", ".out");
        Path err = TemporaryFolders.file("weft-submit", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("CLASSPATH");
        Process p = pb.start();
        boolean ended = p.waitFor(240, TimeUnit.SECONDS);
        String stderr = Files.readString(err);
        Matcher m = SUBMITTED.matcher(stderr);
        String job = m.find() ? m.group(1) : null;
        if (!ended) {
            p.destroyForcibly();
            if (job != null) {
                new ProcessBuilder("scancel", job).start().waitFor(30, TimeUnit.SECONDS);
            }
            throw new AssertionError("weft submit --wait did not end within 240 s (job " + job + " cancelled):\n"
                    + stderr);
        }
        assertThat(job).as("the job weft submit says it submitted: %s", stderr).isNotNull();
        return new Submission(p.exitValue(), Files.readString(out), stderr, job, Path.of(m.group(2)));
    }

    /** No process of this host has the job's markers on its command line, and its workers' folders are gone. */
    private static void assertNothingLeft(Submission s) throws InterruptedException {
        List<String> markers = List.of(s.runFolder().toString(), "weft-job-" + s.job() + "-");
        List<String> left = new ArrayList<>();
        // The job has ended (--wait saw it so); slurmstepd may still be reaping for a moment.
        for (int attempt = 0; attempt < 50; attempt++) {
            left.clear();
            ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(ph -> {
                String line = ph.info().commandLine().orElse("");
                if (markers.stream().anyMatch(line::contains)) {
                    left.add(ph.pid() + " " + line);
                }
            });
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(left).as("processes of job %s left behind", s.job()).isEmpty();
        // The workers' local disk: $TMPDIR as the job sees it (SLURM passes this environment on), else /tmp.
        String tmpdir = System.getenv("TMPDIR");
        try (Stream<Path> tmp = Files.list(Path.of(tmpdir == null || tmpdir.isBlank() ? "/tmp" : tmpdir))) {
            assertThat(tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("weft-job-" + s.job() + "-")))
                    .as("the workers' folders").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether SLURM answers with (at least) three idle nodes. */
    private static boolean clusterOfThree() {
        try {
            Process p = new ProcessBuilder("sinfo", "-h", "-N", "-t", "idle", "-o", "%N").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && out.lines().count() >= 3;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
