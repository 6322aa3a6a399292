package io.weft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where tasks wait with worker processes, read from the placement record: a worker does not hoard tasks it cannot
 * start while another worker idles.
 */
class QueuesIT {
    private static final long TIMEOUT = 120;

    /** One long task, then many short independent ones: two cores should run them side by side. */
    private static final String LONG_AND_SHORT = """
            package queues;
            import io.weft.api.*;

            public class LongAndShort {
                static final class Done {
                    final int id;
                    Done(int id) { this.id = id; }
                }

                static Done spin(int id, long millis) {
                    long end = System.nanoTime() + millis * 1_000_000L;
                    long x = 0;
                    while (System.nanoTime() < end) x++;
                    return new Done(x >= 0 ? id : -id);
                }

                @Task static Done longOne(int id) { return spin(id, 3000); }

                @Task static Done shortOne(int id) { return spin(id, 25); }

                public static void main(String[] args) {
                    Done first = longOne(-1);
                    Done[] done = new Done[40];
                    for (int i = 0; i < done.length; i++) done[i] = shortOne(i);
                    int sum = 0;
                    for (Done d : done) sum += d.id;
                    System.out.println("short ids sum " + sum + ", long " + first.id);
                }
            }
            """;

    @Test
    void shortTasks_doNotWaitBehindALongOne_whileAnotherWorkerIdles() throws Exception {
        Path classes = SourcePrograms.compile(Map.of("queues/LongAndShort.java", LONG_AND_SHORT), "17");
        ChildJvm.Result sequential = ChildJvm.sequential().classPath(classes).run("queues.LongAndShort");
        assertThat(sequential.exitCode()).as("%s", sequential).isZero();
        Path record = TemporaryFolders.directory("weft-queues").resolve("placements.jsonl");
        ChildJvm.Result parallel = ChildJvm.withAgent()
                .agentArgs("workers=2,threads=1,placements=" + record).timeout(TIMEOUT).classPath(classes)
                .run("queues.LongAndShort");
        assertThat(parallel.exitCode()).as("%s", parallel).isZero();
        assertThat(parallel.stdout()).isEqualTo(sequential.stdout());

        Placements placements = Placements.read(record);
        Placements.Entry longOne = placements.named("LongAndShort.longOne").get(0);
        List<Placements.Entry> shorts = placements.named("LongAndShort.shortOne");
        assertThat(shorts).hasSize(40);
        // Worker processes on one host share the monotonic clock, so their times compare.
        assertThat(shorts).as("short tasks that started only once the long one had ended, on %s", longOne.node())
                .noneMatch(s -> s.startNanos() >= longOne.endNanos());
        assertThat(shorts).as("short tasks that ran beside the long one, on the other worker")
                .allMatch(s -> !s.node().equals(longOne.node()) || s.endNanos() <= longOne.startNanos());
    }
}
