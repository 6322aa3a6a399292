package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @Test
    void runFolders_areNewPrivateAndNeverShared(@TempDir Path base) {
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            made.add(RunFolder.create(base.resolve("runs"), "Main"));
        }
        assertThat(made).hasSize(50).allSatisfy(f -> {
            assertThat(f.getFileName().toString()).matches("Main-\\d{8}-\\d{6}-[0-9a-f]{4}");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rwx------");
        });
    }

    @Test
    void commandFile_quotesWordsForTheShell(@TempDir Path folder) throws Exception {
        RunFolder.writeCommand(folder, List.of("run", "--jvm-option=-Dx=a b", "Main"),
                List.of("/usr/bin/java", "it's", "Main"));
        assertThat(Files.readString(folder.resolve("command.txt")))
                .isEqualTo("weft run '--jvm-option=-Dx=a b' Main\n/usr/bin/java 'it'\\''s' Main\n");
    }
}
