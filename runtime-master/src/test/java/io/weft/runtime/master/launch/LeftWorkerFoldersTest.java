package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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
    private static final Duration HOUR = Duration.ofHours(1);

    @BeforeEach
    void setUp() throws Exception {
        me = Files.getOwner(tmp);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        deadPid = p.pid();
    }

    /** A folder as a killed master leaves it: its lock file, one worker's emptied folder, last touched {@code age} ago. */
    private Path left(String name, Duration age) throws IOException {
        Path folder = Files.createDirectory(tmp.resolve(name));
        Files.createFile(folder.resolve(LeftWorkerFolders.LOCK));
        Files.createDirectory(folder.resolve("worker1"));
        age(folder, age);
        return folder;
    }

    /** Sets the modified time of the tree's every entry {@code age} back. */
    private void age(Path folder, Duration age) throws IOException {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(now.minus(age)));
            }
        }
    }

    private String deadMasters(String random) {
        return LeftWorkerFolders.prefix(deadPid) + random;
    }

    @Test
    void theFolderOfAKilledMaster_untouchedLongEnough_isRemoved() throws IOException {
        Path gone = left(deadMasters("123"), HOUR);

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).containsExactly(gone);
        assertThat(gone).doesNotExist();
    }

    @Test
    void aFolderWhoseLockALiveProcessHolds_stays() throws Exception {
        // A master in another pid namespace: its pid means nothing here, its lock still holds.
        Path live = Files.createDirectory(tmp.resolve(deadMasters("7")));
        Process holder = holdLockInAnotherProcess(live);
        try {
            Files.createDirectory(live.resolve("worker1"));
            age(live, HOUR);

            assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
            assertThat(live.resolve("worker1")).isDirectory();
            assertThat(live.resolve(LeftWorkerFolders.LOCK)).exists();
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // Once that process is gone, so is its lock: the folder goes.
        age(live, HOUR);
        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).containsExactly(live);
    }

    /** Starts a JVM that takes the lock of {@code folder} as a master does, and waits until it holds it. */
    private static Process holdLockInAnotherProcess(Path folder) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HoldLock.class.getName(),
                folder.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the other process holds the lock").isEqualTo("held");
        return p;
    }

    /** A process that holds a master's lock on a folder until it is killed. */
    public static final class HoldLock {
        public static void main(String[] args) throws Exception {
            LeftWorkerFolders.Alive alive = LeftWorkerFolders.holdAlive(Path.of(args[0]));
            System.out.println("held");
            System.out.flush();
            Thread.sleep(600_000);
            alive.close();
        }
    }

    @Test
    void theFolderOfAMasterRunningHere_stays() throws IOException {
        Path mine = left(LeftWorkerFolders.prefix(ProcessHandle.current().pid()) + "123", Duration.ofDays(2));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
        assertThat(mine.resolve("worker1")).isDirectory();
    }

    @Test
    void aTreeHoldingAFile_orTouchedRecently_orWithoutALock_staysWhole() throws IOException {
        Path kept = left(deadMasters("1"), HOUR);
        Path file = Files.writeString(kept.resolve("worker1").resolve("result.txt"), "what a task left");
        age(kept, HOUR);
        Path recent = left(deadMasters("2"), Duration.ofMinutes(1));
        Path unlocked = left(deadMasters("3"), HOUR);
        Files.delete(unlocked.resolve(LeftWorkerFolders.LOCK));
        age(unlocked, HOUR);
        Path older = left(LeftWorkerFolders.PREFIX + "9876543210", Duration.ofDays(30)); // named before the pid was

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
        assertThat(file).hasContent("what a task left");
        assertThat(recent.resolve("worker1")).isDirectory();
        assertThat(unlocked.resolve("worker1")).isDirectory();
        assertThat(older.resolve("worker1")).isDirectory();
    }

    @Test
    void aLiveMastersLock_isGivenBackWithItsFile_atTheEnd() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve(LeftWorkerFolders.prefix(ProcessHandle.current().pid())
                + "5"));
        LeftWorkerFolders.Alive alive = LeftWorkerFolders.holdAlive(folder);
        assertThat(folder.resolve(LeftWorkerFolders.LOCK)).exists();

        alive.close();

        assertThat(folder.resolve(LeftWorkerFolders.LOCK)).doesNotExist();
        Files.delete(folder); // empty: the master removes it
    }

    @Test
    void atTheRunsEnd_whatALostWorkerLeft_goes_theLockFileStays_andNoLinkIsFollowed() throws IOException {
        // As a run that lost a worker leaves its folder: the killed worker's run folder, with what it spilled and
        // kept; another worker ended and removed its own.
        Path run = Files.createDirectory(tmp.resolve(LeftWorkerFolders.prefix(ProcessHandle.current().pid()) + "7"));
        Path lock = Files.createFile(run.resolve(LeftWorkerFolders.LOCK));
        Path lost = Files.createDirectories(run.resolve("worker2").resolve("weft-1"));
        Files.writeString(lost.resolve("object-12.fory"), "a spilled version");
        Files.writeString(Files.createDirectories(lost.resolve("files").resolve("40")).resolve("in.txt"), "kept");
        Files.createDirectories(run.resolve("worker1"));
        Path outside = Files.createDirectories(tmp.resolve("elsewhere").resolve("inner"));
        Path theirs = Files.writeString(outside.resolve("data.txt"), "not the run's");
        Files.createSymbolicLink(lost.resolve("link"), outside.getParent());

        assertThat(LeftWorkerFolders.emptyRunFolder(run)).isTrue();

        try (Stream<Path> left = Files.list(run)) {
            assertThat(left).containsExactly(lock);
        }
        assertThat(theirs).hasContent("not the run's");
    }

    @Test
    void otherNames_areLeftAlone() throws IOException {
        left("weft-workers-abc", Duration.ofDays(2));
        left(deadMasters("x1"), Duration.ofDays(2));
        left("weft-class-cache-root", Duration.ofDays(2));

        assertThat(LeftWorkerFolders.removeLeft(tmp, me, now)).isEmpty();
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s).hasSize(3);
        }
    }
}
