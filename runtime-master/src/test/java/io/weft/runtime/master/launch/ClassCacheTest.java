package io.weft.runtime.master.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the class-data archive of a worker's start-up classes goes, and when there is no safe place for it. */
class ClassCacheTest {
    @TempDir
    Path tmp;
    private String savedTmp;

    @BeforeEach
    void ownTemporaryDirectory() {
        savedTmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
    }

    @AfterEach
    void restore() {
        System.setProperty("java.io.tmpdir", savedTmp);
    }

    @Test
    void archive_isPerJarAndJvm_inAFolderOnlyTheUserCanWrite() throws Exception {
        Path jar = Files.writeString(tmp.resolve("weft-agent.jar"), "a jar");
        Path archive = ClassCache.archive(jar.toString(), List.of());
        assertThat(archive).isNotNull();
        assertThat(archive.getParent().getFileName().toString()).startsWith("weft-class-cache-");
        assertThat(Files.getPosixFilePermissions(archive.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(ClassCache.archive(jar.toString(), List.of())).as("the same jar, the same archive")
                .isEqualTo(archive);
        assertThat(ClassCache.archive(jar.toString(), List.of("-XX:+UseZGC")))
                .as("another heap layout, another archive").isNotEqualTo(archive);
        assertThat(ClassCache.jvmOptions(jar.toString(), List.of())).as("none before it is made").isEmpty();

        Files.writeString(archive, "archived classes");
        assertThat(ClassCache.jvmOptions(jar.toString(), List.of()))
                .contains("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off");

        Files.writeString(jar, "a rebuilt jar");
        assertThat(ClassCache.archive(jar.toString(), List.of())).as("a jar that changed gets an archive of its own")
                .isNotEqualTo(archive);
    }

    @Test
    void noArchive_forClassFolders_orAFolderOthersCouldWriteTo() throws Exception {
        assertThat(ClassCache.archive(tmp.resolve("classes").toString(), List.of())).isNull();
        assertThat(ClassCache.archive(null, List.of())).isNull();

        Path jar = Files.writeString(tmp.resolve("weft-agent.jar"), "a jar");
        Path folder = ClassCache.archive(jar.toString(), List.of()).getParent();
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(ClassCache.archive(jar.toString(), List.of())).isNull();
        assertThat(ClassCache.jvmOptions(jar.toString(), List.of())).isEmpty();
    }
}
