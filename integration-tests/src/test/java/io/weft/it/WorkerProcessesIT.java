package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.runtime.master.launch.WorkerPool;
import io.weft.runtime.master.launch.WorkerStartException;
import io.weft.wire.RunCredentials;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real worker JVMs on loopback, started by the master's {@link WorkerPool}: they prove they belong to the run,
 * say hello and answer heartbeats; one killed with SIGKILL is noticed within the timeout; and each way a worker
 * can fail to start is reported at once, naming the node, with the worker's own words.
 */
class WorkerProcessesIT {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String CLASS_PATH = ChildJvm.AGENT.toAbsolutePath().toString();
    private static final Duration START = Duration.ofSeconds(30);

    private Path dir;
    private WorkerPool pool;
    private final List<String> lost = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startPool() throws Exception {
        dir = TemporaryFolders.directory("weft-workers");
        RunCredentials credentials = RunCredentials.generate();
        Path file = dir.resolve("run.secret");
        credentials.writeTo(file);
        pool = WorkerPool.start(credentials, file, Duration.ofMillis(200), Duration.ofSeconds(1), (node, why) -> lost.add(node));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void threeWorkers_join_andOneKilledWithSigkill_isNoticedWithinTheTimeout() throws Exception {
        for (String node : new String[] {"w1", "w2", "w3"}) {
            WorkerPool.Worker w = pool.launch(node, JAVA, CLASS_PATH, dir.resolve(node), 0, START);
            assertThat(w.dataPort()).isPositive();
            assertThat(w.pid()).isEqualTo(pool.process(node).pid());
        }
        assertThat(pool.workers()).containsExactly("w1", "w2", "w3");

        Thread.sleep(1500); // several heartbeats: answering workers are not lost
        assertThat(lost).isEmpty();

        long killed = System.nanoTime();
        pool.process("w2").destroyForcibly(); // SIGKILL
        while (lost.isEmpty() && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - killed) / 1e9;
        System.out.printf("WorkerProcessesIT: SIGKILL noticed after %.2f s%n", seconds);
        assertThat(lost).containsExactly("w2");
        assertThat(seconds).as("detected after %.2f s (timeout 1 s, heartbeat 0.2 s)", seconds).isLessThan(3.0);
        assertThat(pool.workers()).containsExactly("w1", "w3");
    }

    @Test
    void closingThePool_stopsItsWorkers() throws Exception {
        pool.launch("w1", JAVA, CLASS_PATH, dir.resolve("w1"), 0, START);
        Process p = pool.process("w1");
        pool.close();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(dir.resolve("w1")).as("the per-run folder is removed, and w1, which the worker made for it")
                .doesNotExist();
        assertThat(dir).as("the folder that was there before").isDirectory();
    }

    @Test
    void javaNotFound_isReportedNamingTheNode() {
        assertThatThrownBy(() -> pool.launch("w1", Path.of("/nonexistent/bin/java"), CLASS_PATH, dir, 0, START))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("worker for node 'w1' did not start")
                .hasMessageContaining("cannot run /nonexistent/bin/java");
    }

    @Test
    void unwritableWorkingDirectory_isReportedWithTheWorkersOwnWords() throws Exception {
        Path file = Files.createFile(dir.resolve("not-a-directory"));
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.launch("w1", JAVA, CLASS_PATH, file, 0, START))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("worker for node 'w1' did not start: it exited with status 4")
                .hasMessageContaining("weft worker w1: cannot use the working directory " + file);
        assertThat(System.nanoTime() - start).as("reported when the worker exits, not at the timeout")
                .isLessThan(TimeUnit.SECONDS.toNanos(20));
    }

    @Test
    void portTaken_isReportedWithTheWorkersOwnWords() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            assertThatThrownBy(() -> pool.launch("w1", JAVA, CLASS_PATH, dir, taken.getLocalPort(), START))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageContaining("it exited with status 5")
                    .hasMessageContaining("weft worker w1: cannot listen for peers")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }
}
