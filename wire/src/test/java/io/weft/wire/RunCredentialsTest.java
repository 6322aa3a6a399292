package io.weft.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunCredentialsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() throws IOException {
        assumeThat(Files.getFileStore(dir).supportsFileAttributeView("posix"))
                .as("these tests check POSIX permissions").isTrue();
    }

    /** A file with the given content, created with the given mode from the start. */
    private Path file(String name, String mode, byte[] content) throws IOException {
        Path f = Files.createFile(dir.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static String validContent(UUID id, byte[] secret) {
        return id + "\n" + Base64.getEncoder().encodeToString(secret) + "\n";
    }

    @Test
    void writeTo_createsAFileReadableAndWritableByItsOwnerOnly() throws IOException {
        Path f = dir.resolve("run.secret");

        RunCredentials.generate().writeTo(f);

        assertThat(Files.getPosixFilePermissions(f))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void writeTo_thenReadFrom_roundTripsTheRunIdAndSecret() throws IOException {
        RunCredentials original = RunCredentials.generate();
        Path f = dir.resolve("run.secret");

        original.writeTo(f);
        RunCredentials read = RunCredentials.readFrom(f);

        assertThat(read.runId()).isEqualTo(original.runId());
        assertThat(read.secret()).isEqualTo(original.secret());
        // And they work together: a proof made with one verifies with the other.
        byte[] c = Handshake.nonce();
        byte[] n = Handshake.nonce();
        assertThat(Handshake.matches(Handshake.clientProof(original, c, n), Handshake.clientProof(read, c, n)))
                .isTrue();
    }

    @Test
    void writeTo_refusesToOverwriteAnExistingFile() throws IOException {
        Path f = file("run.secret", "rw-------", "keep me".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> RunCredentials.generate().writeTo(f))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(f)).isEqualTo("keep me");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void writeTo_refusesToOverwriteAnotherRunsCredentials() throws IOException {
        Path f = dir.resolve("run.secret");
        RunCredentials first = RunCredentials.generate();
        first.writeTo(f);

        assertThatThrownBy(() -> RunCredentials.generate().writeTo(f))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(RunCredentials.readFrom(f).runId()).isEqualTo(first.runId());
    }

    @ParameterizedTest(name = "mode {0}")
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw-r--r--", "r--r-----", "rw--w----",
            "rw-----w-", "rwx------"})
    void readFrom_refusesAFileAnyoneButItsOwnerMayUse(String mode) throws IOException {
        Path f = file("run.secret", mode,
                validContent(UUID.randomUUID(), new byte[32]).getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> RunCredentials.readFrom(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("mode 600")
                .hasMessageContaining(mode);
    }

    @Test
    void readFrom_acceptsAnOwnerReadOnlyFile() throws IOException {
        UUID id = UUID.randomUUID();
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) 7);
        Path f = file("run.secret", "r--------", validContent(id, secret).getBytes(StandardCharsets.US_ASCII));

        RunCredentials read = RunCredentials.readFrom(f);

        assertThat(read.runId()).isEqualTo(id);
        assertThat(read.secret()).isEqualTo(secret);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "",
        "hello",
        "\n\n",
        "not-a-uuid\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "3f1d2c4b-0000-4000-8000-000000000001\n",
        "3f1d2c4b-0000-4000-8000-000000000001\n!!! not base64 !!!\n",
        "3f1d2c4b-0000-4000-8000-000000000001\nAAAAAAAAAAA=\n", // an 8-byte secret: too short
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n3f1d2c4b-0000-4000-8000-000000000001\n", // swapped lines
    })
    void readFrom_refusesSomethingThatIsNotACredentialsFile(String content) throws IOException {
        Path f = file("run.secret", "rw-------", content.getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> RunCredentials.readFrom(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not Weft run credentials");
    }

    @Test
    void readFrom_refusesBinaryGarbage() throws IOException {
        byte[] garbage = new byte[256];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (255 - i);
        }
        Path f = file("run.secret", "rw-------", garbage);

        assertThatThrownBy(() -> RunCredentials.readFrom(f)).isInstanceOf(IOException.class);
    }

    @Test
    void readFrom_aMissingFile_isAnIOException() {
        assertThatThrownBy(() -> RunCredentials.readFrom(dir.resolve("absent"))).isInstanceOf(IOException.class);
    }

    @Test
    void toString_namesTheRunButNeverTheSecret() {
        RunCredentials c = RunCredentials.generate();
        byte[] s = c.secret();

        String text = c.toString();

        assertThat(text).contains(c.runId().toString());
        assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(s));
        assertThat(text).doesNotContain(Base64.getEncoder().withoutPadding().encodeToString(s));
        assertThat(text).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(s));
        assertThat(text.toLowerCase()).doesNotContain(HexFormat.of().formatHex(s));
        assertThat(text).doesNotContain(Arrays.toString(s));
        assertThat(text).doesNotContain(new String(s, StandardCharsets.ISO_8859_1));
    }

    @Test
    void of_refusesASecretShorterThan16Bytes() {
        assertThatThrownBy(() -> RunCredentials.of(UUID.randomUUID(), new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16");
    }

    @Test
    void of_copiesTheSecret_soLaterChangesToTheCallersArrayDoNotLeakIn() {
        byte[] secret = new byte[32];
        RunCredentials c = RunCredentials.of(UUID.randomUUID(), secret);

        secret[0] = 1;

        assertThat(c.secret()[0]).isZero();
    }

    @Test
    void generate_makesA32ByteSecretAndAFreshRunIdEachTime() {
        RunCredentials a = RunCredentials.generate();
        RunCredentials b = RunCredentials.generate();

        assertThat(a.secret()).hasSize(32);
        assertThat(a.runId()).isNotEqualTo(b.runId());
        assertThat(a.secret()).isNotEqualTo(b.secret());
    }

    @Test
    void fileVariable_isTheDocumentedName() {
        assertThat(RunCredentials.FILE_VARIABLE).isEqualTo("WEFT_RUN_SECRET_FILE");
    }

    /** The text a master pipes to a worker started over ssh reads back as the same credentials. */
    @Test
    void text_readsBackAsTheSameCredentials() throws IOException {
        RunCredentials original = RunCredentials.generate();
        RunCredentials back = RunCredentials.parse(original.text(), "a pipe");
        assertThat(back.runId()).isEqualTo(original.runId());
        assertThat(back.secret()).isEqualTo(original.secret());
        assertThatThrownBy(() -> RunCredentials.parse("null\nnull\n", "standard input"))
                .isInstanceOf(IOException.class).hasMessageContaining("standard input: not Weft run credentials");
    }

    /** A file planted by another user in a shared directory would let that user join the run. */
    @Test
    void aCredentialsFileOwnedByAnotherUser_isRefused(@TempDir Path dir) throws IOException {
        assumeThat(System.getProperty("user.name")).as("only root can give a file away").isEqualTo("root");
        Path file = dir.resolve("planted");
        RunCredentials.generate().writeTo(file);
        java.nio.file.attribute.UserPrincipal nobody = file.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);
        assertThatThrownBy(() -> RunCredentials.readFrom(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to nobody");
    }

    @Test
    void writeTo_leavesNoTemporaryFileBehind_andStillRefusesAnExistingFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret");
        RunCredentials.generate(true).writeTo(file);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
        assertThatThrownBy(() -> RunCredentials.generate().writeTo(file)).isInstanceOf(FileAlreadyExistsException.class);
    }
}
