package io.weft.runtime.worker.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.runtime.worker.Binding;
import io.weft.wire.Message.DataRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store on its own: no sockets, no threads. */
class FileStoreTest {
    @TempDir
    Path dir;

    @Test
    void aNameThatCouldLeaveTheWorkersDirectory_isRefused() {
        for (String name : new String[] {null, "", ".", "..", "a/b", "a\\b", "a\0b"}) {
            assertThatThrownBy(() -> FileStore.checkName(name)).as(String.valueOf(name))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a plain file name");
        }
        FileStore.checkName("points.csv");
    }

    @Test
    void aNewFile_isMadeUnderItsOutputKey_keptThere_andDeletedWithItsDirectoryWhenDropped() throws Exception {
        FileStore store = new FileStore("w1", dir);
        DataRef ref = DataRef.staged(DataRef.FILE_NEW, 0, null, 0, "out.txt", false, true, 42);
        Binding b = store.staged(ref, null);

        Path output = Path.of(b.target());
        assertThat(output).isEqualTo(dir.resolve("files").resolve("42").resolve("out.txt"));
        assertThat(b.source()).isNull();
        assertThat(output.getParent()).isDirectory();

        Files.writeString(output, "hello");
        assertThat(store.keep(ref, output)).isEqualTo(5);
        assertThat(store.kept(42).get(10, TimeUnit.SECONDS)).isEqualTo(output);

        assertThat(store.drop(42)).isTrue();
        assertThat(output.getParent()).doesNotExist();
        assertThat(store.drop(42)).as("nothing kept under it any more").isFalse();
    }

    @Test
    void aKeptFileReadOrUpdatedInPlace_isBoundWhereItIs_andOneWrittenIntoACopyGetsItsOwnUnderTheOutputKey()
            throws Exception {
        FileStore store = new FileStore("w1", dir);
        Path input = dir.resolve("in.txt");
        String copyPath = dir.resolve("files").resolve("6").resolve("in.txt").toString();
        boolean[][] readInPlaceCopy = {{false, false}, {false, true}, {true, true}};

        for (boolean[] copyWritten : readInPlaceCopy) {
            boolean copy = copyWritten[0];
            Binding b = store.staged(DataRef.staged(DataRef.FILE_KEPT, 5, null, 0, "in.txt", copy, copyWritten[1], 6),
                    input);
            assertThat(b.source()).isEqualTo(input.toString());
            assertThat(b.target()).isEqualTo(copy ? copyPath : input.toString());
            assertThat(b.copy()).isEqualTo(copy);
        }
    }

    @Test
    void aFileUpdatedInPlace_isNoLongerKeptUnderTheInputsKey() throws Exception {
        FileStore store = new FileStore("w1", dir);
        Path file = dir.resolve("f.txt");
        store.arriving(5, CompletableFuture.completedFuture(file));
        DataRef inPlace = DataRef.staged(DataRef.FILE_KEPT, 5, null, 0, "f.txt", false, true, 6);

        assertThat(store.keep(inPlace, file)).as("the task left no file").isEqualTo(-1);
        assertThat(store.get(5)).isNull();
        assertThat(store.get(6)).isCompletedWithValue(file);
    }

    @Test
    void aFileItDoesNotKeep_failsSayingSo() {
        FileStore store = new FileStore("w1", dir);

        assertThat(store.kept(9)).isCompletedExceptionally();
        assertThatThrownBy(() -> store.kept(9).join()).hasMessageContaining("worker w1 keeps no file under key 9");
    }
}
