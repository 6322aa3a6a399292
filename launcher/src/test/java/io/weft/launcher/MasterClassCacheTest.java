package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterClassCacheTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void layoutOptions_areThoseThatDecideTheHeapsPointers() {
        assertThat(MasterClassCache.layoutOptions(List.of("-Xmx64g", "-Dfoo=1", "-Xms1g", "-XX:+UseCompressedOops",
                "-XX:MaxRAMPercentage=50", "-XX:ObjectAlignmentInBytes=16", "-XX:+UseSerialGC", "-XX:+UseZGC",
                "-XX:-CompactStrings")))
                .containsExactly("-Xmx64g", "-XX:+UseCompressedOops", "-XX:MaxRAMPercentage=50",
                        "-XX:ObjectAlignmentInBytes=16", "-XX:+UseZGC", "-XX:-CompactStrings");
    }

    @Test
    void oneArchivePerHeapLayout_inAFolderOfTheUsersOwn(@TempDir Path dir) throws Exception {
        Installation weft = installation(dir);
        withTemporaryFolder(dir.resolve("tmp"), () -> {
            MasterClassCache plain = MasterClassCache.of(JAVA, weft, List.of());
            MasterClassCache other = MasterClassCache.of(JAVA, weft, List.of("-Dfoo=1", "-Xms2g"));
            MasterClassCache big = MasterClassCache.of(JAVA, weft, List.of("-Xmx64g"));
            assertThat(plain.archive()).isEqualTo(other.archive()).isNotEqualTo(big.archive());
            assertThat(plain.archive().getFileName().toString()).matches("master-[0-9a-f]{24}\\.jsa");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain.archive().getParent())))
                    .isEqualTo("rwx------");
            assertThat(plain.classPathHead()).containsExactly(weft.agentJar().toRealPath().toString(),
                    weft.apiJar().toRealPath().toString());
            assertThat(plain.ready()).isFalse();
            assertThat(plain.useOptions()).contains("-XX:SharedArchiveFile=" + plain.archive(), "-Xlog:cds=off");
        });
    }

    @Test
    void aFolderOthersCanWriteTo_isNotUsed(@TempDir Path dir) throws Exception {
        Installation weft = installation(dir);
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path shared = Files.createDirectory(tmp.resolve("weft-class-cache-" + System.getProperty("user.name")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx")); // whatever the umask
        withTemporaryFolder(tmp, () -> assertThat(MasterClassCache.of(JAVA, weft, List.of())).isNull());
    }

    private static Installation installation(Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.write(lib.resolve("weft-agent.jar"), new byte[] {1, 2, 3});
        Files.write(lib.resolve("weft-api.jar"), new byte[] {4, 5});
        return new Installation(dir, lib.resolve("weft-agent.jar"), lib.resolve("weft-api.jar"), dir.resolve("conf"),
                "test");
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with {@code java.io.tmpdir} pointing at {@code folder}, made if need be. */
    private static void withTemporaryFolder(Path folder, Body body) throws Exception {
        Files.createDirectories(folder);
        String before = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", folder.toString());
        try {
            body.run();
        } finally {
            System.setProperty("java.io.tmpdir", before);
        }
    }
}
