package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.api.TaskFailedException;
import io.weft.runtime.master.TestTasks.Box;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.StagedFile;
import io.weft.runtime.worker.TaskExecution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions that a worker keeps, moved home through the graph and the {@link HomeMover}: only when the program asks,
 * once, and into the program's own object or file.
 */
class HomeMoverTest {
    private static final long KEY = 7;

    private final TestingMaster master = new TestingMaster("n0", "n1");
    private int holder;
    private TestingGateway holderGateway;

    /** A result its worker keeps under {@link #KEY}, no longer used by any task; returns the placeholder. */
    private Box keptResult() {
        Box made = master.keptResult(KEY);
        holder = master.nodeOf(master.sent("make"));
        holderGateway = master.gateway(holder);
        return made;
    }

    /** Calls {@code write} on the file and lets its worker keep what it writes; returns that version's key. */
    private long keptFile(Path file) {
        master.call("write", file);
        master.drain();
        TaskExecution write = master.sent("write");
        holder = master.nodeOf(write);
        holderGateway = master.gateway(holder);
        long key = ((StagedFile) write.bindings()[0].source()).outputKey();
        master.succeed(write, null, new RemoteFile(holder, key, 3));
        master.drain();
        return key;
    }

    private RemoteValue kept(long key) {
        return TestingMaster.keptBox(holder, key);
    }

    private void askForIt(DataHandle h) {
        master.inbox.post(new AnalyserEvent.BringHome(h));
        master.drain();
    }

    @Test
    void keptResult_isNotFetchedWhenItGoesQuiet_butStaysAwayHoldingOneUse() {
        Box made = keptResult();

        DataHandle h = master.handle(made);
        assertThat(master.synchroniser.inFlight()).isZero();
        assertThat(holderGateway.fetchesAsked).isEmpty();
        assertThat(h.away).isTrue();
        assertThat(h.pending).hasValue(1);
        assertThat(made.value).as("the placeholder is not filled yet").isZero();
        assertThat(holderGateway.forgotten).isEmpty();
    }

    @Test
    void keptResult_thatTheProgramDrops_isForgottenWhereItLies_neverFetched() throws Exception {
        java.lang.ref.WeakReference<Box> made = new java.lang.ref.WeakReference<>(keptResult());
        DataHandle h = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (h == null && System.nanoTime() < deadline) {
            System.gc(); // the registry and the handle hold the away datum's object weakly: only the program did
            Thread.sleep(10);
            h = master.registry.droppedNow();
        }
        assertThat(made.get()).as("the program's object, once the program dropped it").isNull();
        assertThat(h).as("the away datum reported dropped").isNotNull();

        master.inbox.post(new AnalyserEvent.Dropped(h));
        master.drain();

        assertThat(holderGateway.forgotten).as("forgotten where it lies").containsExactly(KEY);
        assertThat(holderGateway.fetchesAsked).as("never moved").isEmpty();
        assertThat(master.registry.size()).isZero();
        assertThat(master.synchroniser.hasPendingTasks()).as("nothing is away any more").isFalse();
    }

    @Test
    void bringHome_startsExactlyOneFetch() {
        DataHandle h = master.handle(keptResult());

        askForIt(h);
        askForIt(h);

        assertThat(holderGateway.fetchesAsked).containsExactly(kept(KEY));
        assertThat(master.gateway(1 - holder).fetchesAsked).isEmpty();
    }

    @Test
    void arrivedObject_fillsThePlaceholder_retiresTheHandle_andForgetsTheKeptVersion() {
        Box made = keptResult();
        DataHandle h = master.handle(made);
        askForIt(h);

        holderGateway.objectFetches.get(KEY).complete(new Box(42));
        assertThat(made.value).as("moved in by the analyser, not by the fetch's thread").isZero();
        master.drain();

        assertThat(made.value).isEqualTo(42);
        assertThat(h.away).isFalse();
        assertThat(h.pending).as("retired").hasValue(-1);
        assertThat(master.registry.findObject(made)).isNull();
        assertThat(holderGateway.forgotten).containsExactly(KEY);
    }

    @Test
    void fetchError_failsTheDatum_namingTheWorker() {
        Box made = keptResult();
        DataHandle h = master.handle(made);
        askForIt(h);

        holderGateway.objectFetches.get(KEY).completeExceptionally(new IllegalStateException("connection reset"));
        master.drain();

        assertThat(h.away).isFalse();
        assertThat(h.pending).as("held by its failure, not retired").hasValue(0);
        assertThat(h.failure).isNotNull();
        assertThatThrownBy(() -> master.synchroniser.use(made))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("from worker n" + holder)
                .hasMessageContaining("connection reset");
    }

    /**
     * The placeholder of a result that never came home was never filled (its constructor never ran either): the
     * datum is lost, and like a result whose task failed it keeps failing its readers, even after the program was
     * told of the failure.
     */
    @Test
    void resultThatCouldNotComeHome_keepsFailingItsReaders() {
        Box made = keptResult();
        askForIt(master.handle(made));
        holderGateway.objectFetches.get(KEY).completeExceptionally(new IllegalStateException("connection reset"));
        master.drain();
        assertThatThrownBy(() -> master.synchroniser.use(made)).isInstanceOf(TaskFailedException.class);

        master.call("read", made);
        master.drain();

        assertThat(master.sent()).as("the reader is not run on the unfilled placeholder").hasSize(1);
        assertThatThrownBy(() -> master.synchroniser.use(made))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("connection reset");
    }

    @Test
    void taskTakingTheDatumUpWhileItTravels_dropsTheArrivedValue_andItComesHomeWhenQuietAgain() {
        Box made = keptResult();
        DataHandle h = master.handle(made);
        askForIt(h);
        master.call("increment", made);
        master.drain();
        TaskExecution increment = master.sent("increment");
        assertThat(increment.bindings()[0].source()).as("it reads the kept version").isEqualTo(kept(KEY));

        holderGateway.objectFetches.get(KEY).complete(new Box(42));
        master.drain();

        assertThat(made.value).as("the travelling version is stale: dropped").isZero();
        assertThat(h.away).isTrue();
        assertThat(holderGateway.forgotten).isEmpty();

        master.succeed(increment, null, kept(KEY + 1));
        master.drain();
        assertThat(holderGateway.fetchesAsked).as("the program still wants it: the new version is fetched")
                .containsExactly(kept(KEY), kept(KEY + 1));
        assertThat(holderGateway.forgotten).containsExactly(KEY);
    }

    @Test
    void keptFileVersion_isFetchedBesideTheProgramsFile_andRenamedOverIt(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out.txt");
        Files.writeString(out, "old");
        long key = keptFile(out);
        DataHandle h = master.registry.findFile(DataRegistry.normalise(out));
        assertThat(h.away).isTrue();
        assertThat(holderGateway.fetchesAsked).isEmpty();

        askForIt(h);
        Path part = holderGateway.fileFetchTargets.get(key);
        assertThat(part.getParent()).isEqualTo(Path.of((String) h.home()).getParent());
        assertThat(part.getFileName().toString()).startsWith(".weft-out.txt-");
        Files.writeString(part, "new");
        holderGateway.fileFetches.get(key).complete(part);
        assertThat(out).hasContent("old");
        master.drain();

        assertThat(out).hasContent("new");
        assertThat(part).doesNotExist();
        assertThat(h.pending).as("retired").hasValue(-1);
        assertThat(holderGateway.forgotten).containsExactly(key);
    }

    @Test
    void fileFetchError_leavesNoPartFile_andFailsTheFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out.txt");
        long key = keptFile(out);
        askForIt(master.registry.findFile(DataRegistry.normalise(out)));

        Path part = holderGateway.fileFetchTargets.get(key);
        Files.writeString(part, "ha");
        holderGateway.fileFetches.get(key).completeExceptionally(new IllegalStateException("worker stopped sending"));
        master.drain();

        assertThat(part).doesNotExist();
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> master.synchroniser.usePath(out.toString()))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("from worker n" + holder)
                .hasMessageContaining("worker stopped sending");
    }
}
