package io.weft.runtime.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkFolderTest {
    @TempDir
    Path dir;

    @Test
    void foldersMadeForTheRun_areRemovedWithIt() throws Exception {
        Path base = dir.resolve("WorkingDir").resolve("node1");
        WorkFolder work = WorkFolder.make("node1", base, "run-1");
        assertThat(work.run()).isDirectory().hasParent(base);
        Files.writeString(work.run().resolve("kept-version.bin"), "data");

        work.remove();

        assertThat(dir.resolve("WorkingDir")).doesNotExist();
        assertThat(dir).isDirectory();
    }

    @Test
    void folderThatWasThereBefore_stays() throws Exception {
        Path base = Files.createDirectories(dir.resolve("WorkingDir"));
        WorkFolder work = WorkFolder.make("node1", base.resolve("node1"), "run-1");

        work.remove();

        assertThat(base).isDirectory().isEmptyDirectory();
    }

    @Test
    void sharedParent_staysWhileAnotherNodeUsesIt() throws Exception {
        Path shared = dir.resolve("WorkingDir");
        WorkFolder first = WorkFolder.make("node1", shared.resolve("node1"), "run-1");
        WorkFolder second = WorkFolder.make("node2", shared.resolve("node2"), "run-1");

        first.remove();
        assertThat(shared.resolve("node1")).doesNotExist();
        assertThat(second.run()).isDirectory();

        second.remove();
        assertThat(shared.resolve("node2")).doesNotExist();
    }

    @Test
    void baseUnderAFile_isAStartFailureOfTheNode() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        assertThatThrownBy(() -> WorkFolder.make("node1", file.resolve("sub"), "run-1"))
                .isInstanceOf(StartFailure.class)
                .hasMessageContaining("cannot use the working directory " + file.resolve("sub"));
    }

    @Test
    void runFolder_isMadeNewAndPrivate() throws Exception {
        WorkFolder work = WorkFolder.make("node1", dir.resolve("work/node1"), "run-1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.run()))).isEqualTo("rwx------");
        work.remove();
    }

    @Test
    void runFolderThatExistsAlready_isRefused() throws Exception {
        Files.createDirectories(dir.resolve("weft-run-2"));
        assertThatThrownBy(() -> WorkFolder.make("node1", dir, "run-2")).isInstanceOf(StartFailure.class)
                .hasMessageContaining("exists already");
    }

    @Test
    void folderAnyoneMayWriteTo_isRefused_unlessSticky() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> WorkFolder.make("node1", open.resolve("node1"), "run-3"))
                .isInstanceOf(StartFailure.class).hasMessageContaining("anyone may write to " + open);
        Files.setAttribute(open, "unix:mode", 01777);
        WorkFolder work = WorkFolder.make("node1", open.resolve("node1"), "run-3");
        assertThat(work.run()).isDirectory();
        work.remove();
    }

    /**
     * A link another user owns, in a sticky folder everyone may write to, could be pointed elsewhere after the
     * check: refused, though the folder it leads to is safe. Giving a link to another user needs root.
     */
    @Test
    void linkSomeoneElseOwns_isRefused_thoughWhereItLeadsIsSafe() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: only root can give a link to another user (CI runs as root)");
        Path sticky = Files.createDirectory(dir.resolve("sticky"));
        Files.setAttribute(sticky, "unix:mode", 01777);
        Path safe = Files.createDirectory(dir.resolve("safe"));
        Path link = Files.createSymbolicLink(sticky.resolve("work"), safe);
        java.nio.file.attribute.UserPrincipal nobody = link.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("nobody");
        Files.getFileAttributeView(link, java.nio.file.attribute.PosixFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
        assertThatThrownBy(() -> WorkFolder.make("node1", link, "run-4")).isInstanceOf(StartFailure.class)
                .hasMessageContaining("is a link that belongs to nobody");
        assertThat(safe).isEmptyDirectory();
    }
}
