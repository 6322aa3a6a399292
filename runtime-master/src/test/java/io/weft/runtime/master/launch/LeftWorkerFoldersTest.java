package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker folders that killed masters left in the temporary folder, found and removed by a later master. */
class LeftWorkerFoldersTest {
    @TempDir
    Path tmp;
    private UserPrincipal me;
    private long deadPid;
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() throws Exception {
        me = Files.getOwner(tmp);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        deadPid = p.pid();
    }

    /** A folder as a master makes it, with one worker's folder inside, last touched {@code age} ago. */
    private Path left(String name, Duration age) throws IOException {
        Path folder = Files.createDirectory(tmp.resolve(name));
        Path worker = Files.createDirectory(folder.resolve("worker1"));
        touch(worker, age);
        touch(folder, age);
        return folder;
    }

    private void touch(Path p, Duration age) throws IOException {
        Files.setLastModifiedTime(p, FileTime.from(now.minus(age)));
    }

    @Test
    void anEmptyTreeOfADeadMaster_untouchedLongEnough_isRemoved() throws IOException {
        Path gone = left(LeftWorkerFolders.prefix(deadPid) + "123", Duration.ofHours(1));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).containsExactly(gone);
        assertThat(gone).doesNotExist();
    }

    @Test
    void theFolderOfAMasterStillRunning_stays() throws IOException {
        Path mine = left(LeftWorkerFolders.prefix(ProcessHandle.current().pid()) + "123", Duration.ofDays(2));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
        assertThat(mine).isDirectory();
    }

    @Test
    void aTreeHoldingAFile_orTouchedRecently_staysWhole() throws IOException {
        Path kept = left(LeftWorkerFolders.prefix(deadPid) + "1", Duration.ofHours(1));
        Path file = Files.writeString(kept.resolve("worker1").resolve("result.txt"), "what a task left");
        touch(kept.resolve("worker1"), Duration.ofHours(1));
        Path recent = left(LeftWorkerFolders.prefix(deadPid) + "2", Duration.ofMinutes(1));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
        assertThat(file).hasContent("what a task left");
        assertThat(recent.resolve("worker1")).isDirectory();
    }

    @Test
    void aFolderNamedBeforeThePidWasInTheName_goesOnlyAfterADay() throws IOException {
        Path dayOld = left(LeftWorkerFolders.PREFIX + "9876543210", Duration.ofDays(2));
        Path hourOld = left(LeftWorkerFolders.PREFIX + "1234567890", Duration.ofHours(1));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).containsExactly(dayOld);
        assertThat(hourOld).isDirectory();
    }

    @Test
    void otherNames_areLeftAlone() throws IOException {
        left("weft-workers-abc", Duration.ofDays(2));
        left(LeftWorkerFolders.prefix(deadPid) + "x1", Duration.ofDays(2));
        left("weft-class-cache-root", Duration.ofDays(2));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).hasSize(3);
        }
    }
}
