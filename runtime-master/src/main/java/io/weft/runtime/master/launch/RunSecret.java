package io.weft.runtime.master.launch;

import io.weft.wire.RunCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run's credentials on the master, and the file its workers read them from.
 *
 * <p>When {@code WEFT_RUN_SECRET_FILE} names a file (on a disk the workers see, for workers that something else
 * starts), the master uses it: it reads the file if it exists, or makes it (mode 600) and deletes it again once
 * every worker has started. Otherwise it makes a file of its own in a private temporary directory, for the
 * workers it starts itself, and deletes it once they have started. With TLS, the file also holds the key and
 * certificate made for the run.
 */
public final class RunSecret {
    private final RunCredentials credentials;
    private final Path file;
    private final boolean made;
    private final boolean temporary;

    private final Thread hook;

    private RunSecret(RunCredentials credentials, Path file, boolean made, boolean temporary) {
        this.credentials = credentials;
        this.file = file;
        this.made = made;
        this.temporary = temporary;
        // A master stopped while its workers start (Ctrl-C, scancel) must not leave the secret behind.
        this.hook = made ? new Thread(this::delete, "weft-run-secret") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /**
     * The credentials of this run.
     *
     * @param adopting whether some workers are started by something else, which must find the file
     * @param tls whether the run's connections are encrypted: new credentials then carry a TLS identity, and an
     *     existing file must have one
     * @throws IllegalArgumentException if they cannot be read or written, or adopted workers could not find them
     */
    public static RunSecret forRun(boolean adopting, boolean tls) {
        String named = System.getenv(RunCredentials.FILE_VARIABLE);
        try {
            if (named != null && !named.isBlank() && !named.equals("-")) {
                Path file = Path.of(named).toAbsolutePath();
                if (Files.exists(file)) {
                    RunCredentials existing = RunCredentials.readFrom(file);
                    if (tls && existing.tls() == null) {
                        throw new IllegalArgumentException("tls=true, but the credentials file " + file + " ("
                                + RunCredentials.FILE_VARIABLE + ") has no TLS key: name a file that does not exist"
                                + " yet, and the master makes one with it");
                    }
                    return new RunSecret(existing, file, false, false);
                }
                RunCredentials credentials = RunCredentials.generate(tls);
                if (!Files.isDirectory(file.getParent())) {
                    // e.g. $HOME/.weft on a first run: private, like the file.
                    Files.createDirectories(file.getParent(), java.nio.file.attribute.PosixFilePermissions
                            .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                }
                credentials.writeTo(file);
                return new RunSecret(credentials, file, true, false);
            }
            if (adopting) {
                throw new IllegalArgumentException("some workers are started by something else (<External>): set "
                        + RunCredentials.FILE_VARIABLE + " to a file on a disk they see, for the master and for"
                        + " them; the master makes it if it does not exist");
            }
            RunCredentials credentials = RunCredentials.generate(tls);
            sweepLeftovers();
            Path file = Files.createTempDirectory("weft-run-" + ProcessHandle.current().pid() + "-")
                    .resolve("secret");
            credentials.writeTo(file);
            return new RunSecret(credentials, file, true, true);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use the run's credentials file: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes the private folders of earlier masters of this user that were killed ({@code SIGKILL}) before they
     * could delete their secret: each folder's name holds its master's process id.
     */
    private static void sweepLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        String me = System.getProperty("user.name", "");
        try (java.nio.file.DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "weft-run-*-*")) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[2]);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    continue;
                }
                try {
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                            || !Files.getOwner(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName().equals(me)) {
                        continue;
                    }
                    Files.deleteIfExists(dir.resolve("secret"));
                    Files.deleteIfExists(dir);
                } catch (IOException | RuntimeException e) {
                    // Not empty, or not ours after all: left as it is; the others are still swept.
                }
            }
        } catch (IOException | RuntimeException e) {
            // What cannot be swept now may be next time; it is readable by its owner only.
        }
    }

    public RunCredentials credentials() {
        return credentials;
    }

    public Path file() {
        return file;
    }

    /** Every worker has read the file (or will never): deletes it if the master made it. Idempotent. */
    public void startedAll() {
        if (!made) {
            return;
        }
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook deletes it too.
        }
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
            if (temporary) {
                Files.deleteIfExists(file.getParent());
            }
        } catch (IOException e) {
            // It is readable by this user only.
        }
    }
}
