package io.weft.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * What proves that a process belongs to a run: the run's id and its secret, 32 random bytes made once per run.
 * The secret travels to workers in a file that only its owner may read (or through the environment), never on a
 * command line, where any user of the machine could see it. Immutable.
 */
public final class RunCredentials {
    /** The environment variable that may name the credentials file. */
    public static final String FILE_VARIABLE = "WEFT_RUN_SECRET_FILE";
    private static final int SECRET_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final UUID runId;
    private final byte[] secret;
    private final TlsIdentity tls;

    private RunCredentials(UUID runId, byte[] secret, TlsIdentity tls) {
        this.runId = runId;
        this.secret = secret;
        this.tls = tls;
    }

    /** New credentials for a new run, without TLS. */
    public static RunCredentials generate() {
        return generate(false);
    }

    /**
     * New credentials for a new run.
     *
     * @param tls whether its connections are encrypted: then they carry a TLS key and certificate made for the run
     */
    public static RunCredentials generate(boolean tls) {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        UUID runId = UUID.randomUUID();
        return new RunCredentials(runId, secret, tls ? TlsIdentity.generate("weft-run-" + runId) : null);
    }

    /** The run's TLS identity, or {@code null} when its connections are not encrypted. */
    public TlsIdentity tls() {
        return tls;
    }

    /** Credentials with a given id and secret (tests, and peers that read them from elsewhere). */
    public static RunCredentials of(UUID runId, byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("a run secret needs at least 16 bytes, got " + secret.length);
        }
        return new RunCredentials(runId, secret.clone(), null);
    }

    public UUID runId() {
        return runId;
    }

    byte[] secret() {
        return secret;
    }

    /**
     * Writes the credentials to a new file readable and writable by its owner only, created with those
     * permissions (there is no moment at which others could read it).
     *
     * @throws FileAlreadyExistsException if the file exists: a secret is never overwritten in place
     */
    public void writeTo(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        // Written whole under another name, then linked in place: a worker waiting for the file never reads it
        // half-written, and the link fails rather than replace a file that appeared meanwhile.
        Path temporary;
        if (Files.getFileStore(target.getParent()).supportsFileAttributeView("posix")) {
            temporary = Files.createTempFile(target.getParent(), ".weft-secret", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            temporary = Files.createTempFile(target.getParent(), ".weft-secret", ".tmp");
        }
        try {
            Files.writeString(temporary, text(), StandardCharsets.US_ASCII);
            Files.createLink(target, temporary);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Reads credentials written by {@link #writeTo}.
     *
     * @throws IOException if the file cannot be read, is not a credentials file, or others may read it (then the
     *     secret may be known outside the run, and it is refused)
     */
    public static RunCredentials readFrom(Path file) throws IOException {
        if (Files.getFileStore(file.toAbsolutePath()).supportsFileAttributeView("posix")) {
            // Another user could have planted it in a shared directory, and would then belong to the run.
            java.nio.file.attribute.UserPrincipal owner = Files.getOwner(file);
            Path self = Path.of("/proc/self"); // owned by this process's user, on Linux
            if (Files.exists(self) && !owner.equals(Files.getOwner(self))) {
                throw new IOException(file + ": the run's credentials file belongs to " + owner.getName()
                        + ", not to " + Files.getOwner(self).getName() + " who runs this process; refusing to use"
                        + " it");
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
                throw new IOException(file + ": the run's credentials file must be readable by its owner only (mode"
                        + " 600), but it is " + PosixFilePermissions.toString(perms) + "; refusing to use it");
            }
        }
        return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /**
     * The credentials as {@link #writeTo} writes them: the run id, the base64 secret and, with TLS, the run's key and
     * certificate, a line each. For a pipe
     * to a worker started over ssh (its standard input), never for a command line.
     */
    public String text() {
        return runId + "\n" + Base64.getEncoder().encodeToString(secret) + "\n"
                + (tls == null ? "" : tls.text() + "\n");
    }

    /**
     * Reads credentials in the form {@link #text} gives.
     *
     * @param source where the text came from, for the message
     * @throws IOException if it is not that form
     */
    public static RunCredentials parse(String text, String source) throws IOException {
        String[] lines = text.split("\n");
        try {
            RunCredentials plain = of(UUID.fromString(lines[0].trim()), Base64.getDecoder().decode(lines[1].trim()));
            if (lines.length < 3 || lines[2].isBlank()) {
                return plain;
            }
            return new RunCredentials(plain.runId, plain.secret, TlsIdentity.parse(lines[2].trim()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(source + ": its TLS key or certificate cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(source + ": not Weft run credentials (expected a run id and a base64 secret)", e);
        }
    }

    @Override
    public String toString() {
        return "run " + runId; // never the secret
    }

    /**
     * Makes ready what proving these credentials uses (the JDK's crypto providers take a good part of a second
     * the first time on a small machine), so a caller may do it ahead, on a thread of its own.
     */
    public static void warmUp() {
        Handshake.warmUp();
    }
}
