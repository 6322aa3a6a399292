package io.weft.runtime.worker.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.objects.PayloadCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store on its own: no sockets, no threads. */
class ObjectStoreTest {
    @TempDir
    Path dir;

    private static long spilledFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".fory")).count();
        }
    }

    @Test
    void withinItsBudget_aVersionStaysInMemory_andIsBoundItselfOrCopiedAsAsked() {
        ObjectStore store = new ObjectStore("w1", dir, 1000);
        List<Integer> value = new ArrayList<>(List.of(1, 2, 3));
        byte[] bytes = PayloadCodec.serialize(value);
        store.keep(7, value, bytes.length, bytes);

        assertThat(store.summary()).isEqualTo("1 in memory (" + bytes.length + " bytes), 0 spilled");
        Binding copied = store.stored(7, true, true);
        assertThat(copied.source()).isSameAs(value);
        assertThat(copied.copy()).isTrue();
        assertThat(copied.written()).isTrue();
    }

    @Test
    void beyondItsBudget_aVersionGoesToDisk_isReadBackAsItsOwnCopy_andIsDeletedWhenDropped() throws Exception {
        ObjectStore store = new ObjectStore("w1", dir, 4);
        List<Integer> value = new ArrayList<>(List.of(1, 2, 3));
        store.keep(7, value, 40, null); // an estimate, not serialised: spilling serialises it

        assertThat(store.summary()).isEqualTo("0 in memory (0 bytes), 1 spilled");
        assertThat(spilledFiles(dir)).isEqualTo(1);
        Binding read = store.stored(7, true, false);
        assertThat(read.source()).isEqualTo(value).isNotSameAs(value);
        assertThat(read.copy()).as("read back from disk: already a private copy").isFalse();

        store.drop(7);
        assertThat(spilledFiles(dir)).isZero();
        assertThat(store.summary()).isEqualTo("0 in memory (0 bytes), 0 spilled");
    }

    @Test
    void droppingAVersionInMemory_givesBackItsShareOfTheBudget() {
        ObjectStore store = new ObjectStore("w1", dir, Long.MAX_VALUE);
        store.keep(1, "a", 1, null);
        store.drop(1);

        assertThat(store.summary()).isEqualTo("0 in memory (0 bytes), 0 spilled");
    }

    @Test
    void anObjectPutForOneAttempt_isTakenOut() {
        ObjectStore store = new ObjectStore("w1", null, Long.MAX_VALUE);
        store.putReceived(3, PayloadCodec.serialize("input"));

        assertThat(store.taken(3, false).source()).isEqualTo("input");
        assertThatThrownBy(() -> store.taken(3, false)).hasMessage("worker w1 holds no object under key 3");
    }

    @Test
    void anObjectThatDoesNotDeserialise_failsTheTaskThatTakesItSayingWhy() {
        ObjectStore store = new ObjectStore("w1", null, Long.MAX_VALUE);
        byte[] whole = PayloadCodec.serialize(new ArrayList<>(List.of("one", "two", "three")));
        store.putReceived(3, Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> store.stored(3, false, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot deserialise an object received from another process");
    }
}
