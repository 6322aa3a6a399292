package io.weft.runtime.master;

import static io.weft.runtime.master.TestingMaster.keptBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.worker.TaskExecution;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The program's side of waiting. Where the program must block, it runs on a thread of its own here, while the test
 * steps the analyser; every wait is bounded.
 */
class SynchroniserTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    private final TestingMaster master = new TestingMaster("n0");
    private final ExecutorService program = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopTheProgram() {
        program.shutdownNow();
    }

    @Test
    void use_ofAnObjectWithNoPendingTask_returnsAtOnce() {
        Box box = new Box(0);
        master.call("increment", box);
        master.drain();
        master.succeed(master.sent("increment"), null);
        master.drain();

        assertTimeoutPreemptively(AT_ONCE, () -> {
            master.synchroniser.use(box);
            master.synchroniser.use(new Box(1));
            master.synchroniser.use("a plain value");
        });
        assertThat(master.inbox.isEmpty()).as("nothing asked of the analyser").isTrue();
    }

    /** A class whose objects were never task data in this test's JVM. */
    static final class NeverData {}

    @Test
    void aClassIsPlainUntilATaskCallRegistersOneOfItsObjects_andTheCallIsCountedThen() {
        Box box = new Box(3);
        assertThat(DataRegistry.plain(NeverData.class)).isTrue();
        assertThat(DataRegistry.plain(java.nio.file.Path.class)).as("names files").isFalse();
        long before = io.weft.api.spi.Intercept.taskCallsNow();

        master.call("increment", box);

        assertThat(DataRegistry.plain(Box.class)).as("a task's data").isFalse();
        assertThat(io.weft.api.spi.Intercept.taskCallsNow()).as("counted when registered").isEqualTo(before + 1);
        assertThat(master.synchroniser.ready(box)).as("pending").isFalse();
        assertThat(master.synchroniser.ready(new NeverData())).isTrue();
    }

    @Test
    void synchronousCall_waitsForItsResult() throws Exception {
        Box box = new Box(41);
        Future<Object> value = program.submit(() -> master.call("valueOf", box));
        master.drainOncePosted();
        TaskExecution attempt = master.sent("valueOf");
        assertThat(value).as("the task has not ended").isNotDone();

        master.succeed(attempt, 42L);
        master.drain();

        assertThat(value.get(10, TimeUnit.SECONDS)).isEqualTo(42L);
    }

    @Test
    void hasPendingTasks_isTrueWhileADatumIsAway() {
        assertThat(master.synchroniser.hasPendingTasks()).isFalse();
        Box made = master.keptResult(7);

        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(master.synchroniser.hasPendingTasks()).as("the program's placeholder is stale").isTrue();

        master.inbox.post(new AnalyserEvent.BringHome(master.handle(made)));
        master.drain();
        master.gateway(0).objectFetches.get(7L).complete(new Box(42));
        master.drain();
        assertThat(master.synchroniser.hasPendingTasks()).isFalse();
    }

    @Test
    void awayVersion_isFetchedOnlyWhenTheProgramAsks() throws Exception {
        Box made = master.keptResult(7);
        TestingGateway worker = master.gateway(0);
        assertThat(worker.fetchesAsked).isEmpty();

        Future<?> use = program.submit(() -> master.synchroniser.use(made));
        master.drainOncePosted();

        assertThat(worker.fetchesAsked).containsExactly(keptBox(0, 7));
        assertThat(use).as("the version is on its way").isNotDone();
        worker.objectFetches.get(7L).complete(new Box(42));
        master.drain();
        use.get(10, TimeUnit.SECONDS);
        assertThat(made.value).isEqualTo(42);
    }

    @Test
    void store_ofAnObjectOfAClassTheAgentDidNotRewrite_waitsLikeAUse() throws Exception {
        Box box = new Box(1);
        master.call("increment", box);
        master.drain();

        Future<?> store = program.submit(() -> master.synchroniser.store(box));
        Thread.sleep(50);
        assertThat(store).as("library code could read its fields without waiting").isNotDone();

        master.succeed(master.sent("increment"), null);
        master.drain();
        store.get(10, TimeUnit.SECONDS);
    }

    @Test
    void store_ofAnInterfaceResult_doesNotWait() {
        Object list = master.call("listOf", 3L);
        master.drain();

        assertTimeoutPreemptively(AT_ONCE, () -> master.synchroniser.store(list));
        assertThat(master.synchroniser.inFlight()).as("its task still runs").isEqualTo(1);
    }
}
