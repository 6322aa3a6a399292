package io.weft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The per-thread table, read from this JVM's own threads. */
class ThreadTimesTest {
    @Test
    void table_namesABusyThread_withItsTimes_andTheTotals() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc/self/task: Linux only");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread busy = new Thread(() -> {
            long until = System.nanoTime() + 10_000_000_000L;
            while (!stop.get() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }, "tt-busy");
        busy.start();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        while (mx.getThreadCpuTime(busy.getId()) < 20_000_000L) { // it has run on a core for 20 ms
            Thread.sleep(5);
        }
        String table = ThreadTimes.table(Path.of("/proc/self/task"));
        stop.set(true);
        busy.join();

        assertThat(table.lines().findFirst()).hasValueSatisfying(h -> assertThat(h).contains("ran ms", "waited ms"));
        assertThat(table).contains("tt-busy");
        assertThat(table.lines().reduce((a, b) -> b)).hasValueSatisfying(l -> assertThat(l).startsWith("all"));
    }

    @Test
    void table_withoutProc_saysSo() throws Exception {
        assertThat(ThreadTimes.table(Path.of("/no/such/proc"))).contains("Linux only");
    }
}
