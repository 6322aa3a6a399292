package io.weft.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @Test
    void aLogsMissingFoldersAndFile_areMadeForItsUserOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("runs/1/workers/n1.log");
        PrivateFiles.prepare(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("runs"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Files.writeString(file, "kept");
        PrivateFiles.prepare(file);
        assertThat(file).hasContent("kept");
    }
}
