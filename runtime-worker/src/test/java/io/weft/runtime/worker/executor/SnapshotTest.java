package io.weft.runtime.worker.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.runtime.worker.Binding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failed attempt updated in place is put back as it was, into the same objects, arrays and files. */
class SnapshotTest {
    static final class Flat {
        long v;
        double[] data = {1, 2, 3};
        String name = "a";
    }

    static final class Deep {
        List<Integer> items = new ArrayList<>(List.of(1, 2));
    }

    private static Snapshot take(Object... objects) {
        Binding[] bindings = new Binding[objects.length];
        for (int i = 0; i < objects.length; i++) {
            bindings[i] = Binding.object(objects[i], false, true);
        }
        return Snapshot.take(bindings, objects.clone(), objects.clone(), new Snapshot.Recycled());
    }

    @Test
    void flatObject_isPutBackIntoTheSameObjectAndTheSameArray() {
        Flat f = new Flat();
        double[] array = f.data;
        Snapshot s = take(f);
        f.v = 42;
        f.data[0] = -1;
        f.data = new double[] {9};
        f.name = "changed";

        assertThat(s.restore()).isEmpty();
        assertThat(f.v).isZero();
        assertThat(f.data).isSameAs(array).containsExactly(1, 2, 3);
        assertThat(f.name).isEqualTo("a");
    }

    @Test
    void primitiveArray_andAGraphWithACollection_arePutBack() {
        long[] numbers = {5, 6};
        Deep d = new Deep();
        Snapshot s = take(numbers, d);
        numbers[1] = 0;
        d.items.add(3);

        assertThat(s.restore()).isEmpty();
        assertThat(numbers).containsExactly(5, 6);
        assertThat(d.items).containsExactly(1, 2);
    }

    record Grid(double[] cells, Flat meta) {}

    @Test
    void componentsOfARecord_arePutBack() {
        Grid g = new Grid(new double[] {1, 2}, new Flat());
        Snapshot s = take(g);
        g.cells()[0] = -1;
        g.meta().v = 7;

        assertThat(s.restore()).isEmpty();
        assertThat(g.cells()).containsExactly(1, 2);
        assertThat(g.meta().v).isZero();
    }

    @Test
    void buffersOfASucceededAttempt_serveTheNextOne() {
        Snapshot.Recycled recycled = new Snapshot.Recycled();
        Flat f = new Flat();
        Binding[] b = {Binding.object(f, false, true)};
        Snapshot first = Snapshot.take(b, new Object[] {f}, new Object[] {f}, recycled);
        first.discard();
        Object buffer = recycled.take();
        assertThat(buffer).as("given back on success").isNotNull();
        recycled.give((io.weft.runtime.worker.objects.ObjectStates.Saved) buffer);

        Snapshot second = Snapshot.take(b, new Object[] {f}, new Object[] {f}, recycled);
        assertThat(recycled.take()).as("taken again by the next attempt").isNull();
        f.data[2] = 0;
        assertThat(second.restore()).isEmpty();
        assertThat(f.data).containsExactly(1, 2, 3);
    }

    @Test
    void privateCopyOfAFailedAttempt_isMadeAfreshFromTheVersionItRead() {
        Flat source = new Flat();
        Flat copy = new Flat();
        copy.v = 99; // what the failed attempt did to its private copy
        Object[] used = {copy};
        Binding[] b = {Binding.object(source, true, true)};
        Snapshot s = Snapshot.take(b, new Object[] {copy}, used, new Snapshot.Recycled());

        assertThat(s.restore()).isEmpty();
        assertThat(used[0]).isNotSameAs(copy).isNotSameAs(source);
        assertThat(((Flat) used[0]).v).isZero();
    }

    @Test
    void fileUpdatedInPlace_isPutBack_andAFileThatWasNotThereIsRemoved(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("data.txt"), "before");
        Path absent = dir.resolve("new.txt");
        Binding[] b = {Binding.file(f.toString(), f.toString(), false, true),
            Binding.file(absent.toString(), absent.toString(), false, true)};
        Snapshot s = Snapshot.take(b, new Object[] {f.toString(), absent.toString()},
                new Object[] {f.toString(), absent.toString()}, null);
        Files.writeString(f, "half written");
        Files.writeString(absent, "made");

        assertThat(s.restore()).isEmpty();
        assertThat(Files.readString(f)).isEqualTo("before");
        assertThat(absent).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("data.txt");
        }
    }
}
