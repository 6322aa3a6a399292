package io.weft.runtime.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint folder's journal: what a later run reads back, and what it refuses. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static final String A = "0123456789abcdef0123456789abcdef";
    private static final String B = "fedcba9876543210fedcba9876543210";

    private Path save(Checkpoint c, String identity, int access, byte[] bytes) throws Exception {
        Path blob = c.blob(identity, access);
        Files.write(blob, bytes);
        c.append(identity, "Main.step", List.of(new Checkpoint.Output(access, Checkpoint.Output.OBJECT, bytes.length,
                "app.Box")));
        return blob;
    }

    @Test
    void savedTasks_areReadBack_byTheNextRun() throws Exception {
        Path folder = dir.resolve("ck");
        Checkpoint first = Checkpoint.open(folder, "app.Main", 1, 0);
        save(first, A, 0, new byte[] {1, 2, 3});
        first.close();

        Checkpoint second = Checkpoint.open(folder, "app.Main", 1, 0);
        Checkpoint.Entry e = second.saved(A);
        assertThat(e.task()).isEqualTo("Main.step");
        assertThat(e.outputs()).containsExactly(new Checkpoint.Output(0, 'O', 3, "app.Box"));
        assertThat(second.read(e, e.outputs().get(0))).containsExactly(1, 2, 3);
        assertThat(second.saved(B)).isNull();
        assertThat(Files.getPosixFilePermissions(folder)).hasSize(3); // rwx------
    }

    @Test
    void lineWrittenWhenTheRunWasKilled_isIgnored() throws Exception {
        Path folder = dir.resolve("ck");
        Checkpoint first = Checkpoint.open(folder, "app.Main", 1, 0);
        save(first, A, 0, new byte[] {1});
        first.close();
        Files.writeString(folder.resolve("journal"), B + "\tMain.st", StandardOpenOption.APPEND);

        Checkpoint second = Checkpoint.open(folder, "app.Main", 1, 0);
        assertThat(second.saved(A)).isNotNull();
        assertThat(second.savedCount()).isEqualTo(1);
        save(second, B, 0, new byte[] {2});
        second.close();

        Checkpoint third = Checkpoint.open(folder, "app.Main", 1, 0);
        assertThat(third.savedCount()).as("what the second run added starts a line of its own").isEqualTo(2);
    }

    @Test
    void journalWrittenEveryTenTasks_keepsTheRestInMemoryUntilThen() throws Exception {
        Path folder = dir.resolve("ck");
        Checkpoint c = Checkpoint.open(folder, "app.Main", 10, 0);
        for (int i = 0; i < 9; i++) {
            save(c, String.format("%032x", i), 0, new byte[] {(byte) i});
        }
        assertThat(Files.readString(folder.resolve("journal"))).isEmpty();
        save(c, String.format("%032x", 9), 0, new byte[] {9});
        assertThat(Files.readAllLines(folder.resolve("journal"))).hasSize(10);
        c.close();
    }

    @Test
    void damagedLine_orMissingOutput_refusesTheFolder_namingTheLine() throws Exception {
        Path folder = dir.resolve("ck");
        Checkpoint first = Checkpoint.open(folder, "app.Main", 1, 0);
        save(first, A, 0, new byte[] {1});
        Path blob = save(first, B, 1, new byte[] {2, 2});
        first.close();
        Files.delete(blob);
        assertThatThrownBy(() -> Checkpoint.open(folder, "app.Main", 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is damaged at line 2 (its output " + B + "-1 is missing or has the wrong size)");

        List<String> lines = Files.readAllLines(folder.resolve("journal"), StandardCharsets.UTF_8);
        Files.write(folder.resolve("journal"), List.of(lines.get(0).replace("Main.step", "Main.stop"), lines.get(1)));
        assertThatThrownBy(() -> Checkpoint.open(folder, "app.Main", 1, 0))
                .hasMessageContaining("is damaged at line 1 (its CRC does not match its text)");
    }

    @Test
    void folderOfAnotherProgram_orNotACheckpointFolder_isRefused() throws Exception {
        Path folder = dir.resolve("ck");
        Checkpoint.open(folder, "app.Main", 1, 0).close();
        assertThatThrownBy(() -> Checkpoint.open(folder, "other.Main", 1, 0))
                .hasMessageContaining("belongs to program app.Main, not to other.Main");
        Path busy = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> Checkpoint.open(busy, "app.Main", 1, 0))
                .hasMessageContaining("is not empty and is not a Weft checkpoint folder");
    }
}
