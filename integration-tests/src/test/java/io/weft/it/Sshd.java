package io.weft.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server of the tests' own, on a free port of 127.0.0.1, that lets the current user in with a key
 * of its own (and no other way): started from a temporary directory holding its configuration, host key,
 * {@code authorized_keys} and the client's keys, and stopped, with every session it still serves, by
 * {@link #close}. Workers started through it are its descendants, so the tests can tell that they came over ssh.
 */
final class Sshd implements AutoCloseable {
    /** The server's executable; {@code -Dweft.it.sshd=…} names another (a missing one, to see the tests skip). */
    static final Path SSHD = Path.of(System.getProperty("weft.it.sshd", "/usr/sbin/sshd"));

    /** The directory of the configuration and keys. */
    final Path dir;
    /** The port it listens on, on 127.0.0.1. */
    final int port;
    /** The private key it lets the current user in with. */
    final Path key;
    /** A private key it does not know. */
    final Path strangerKey;
    private final Path log;
    private final Process process;

    private Sshd(Path dir, int port, Path key, Path strangerKey, Path log, Process process) {
        this.dir = dir;
        this.port = port;
        this.key = key;
        this.strangerKey = strangerKey;
        this.log = log;
        this.process = process;
    }

    /** Whether this host has {@code sshd} (Debian's and Ubuntu's {@code openssh-server}). */
    static boolean installed() {
        return Files.isExecutable(SSHD);
    }

    /** Makes the keys and configuration, starts sshd and waits until it lets the current user in. */
    static Sshd start() throws Exception {
        Path dir = TemporaryFolders.directory("weft-sshd");
        Path hostKey = keygen(dir, "hostkey");
        Path key = keygen(dir, "id");
        Path strangerKey = keygen(dir, "stranger");
        Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
        int port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "LogLevel ERROR",
                // The sessions find the JDK running the tests as a user's login would find theirs: JAVA_HOME.
                "SetEnv \"JAVA_HOME=" + System.getProperty("java.home") + "\"",
                ""));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        if ("root".equals(System.getProperty("user.name"))) {
            // sshd run as root wants its privilege separation directory; the package makes it at boot only.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Path log = dir.resolve("sshd.log");
        // -D: stay in the foreground, a child of this JVM; -e: log to standard error (the log file).
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Sshd sshd = new Sshd(dir, port, key, strangerKey, log, process);
        try {
            sshd.awaitListening(20);
            sshd.checkLogin();
            return sshd;
        } catch (Throwable t) {
            sshd.close();
            throw t;
        }
    }

    /**
     * An ssh command template for {@code <Ssh><Command>}, with this server's port and the given identity.
     */
    String template(int port, Path identity) {
        return "ssh -p " + port + " -i " + identity
                + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
                + " {user}@{host} {command}";
    }

    /** The template that gets in. */
    String template() {
        return template(port, key);
    }

    /** The processes running {@code mainClass} that this server started (in its sessions). */
    List<ProcessHandle> running(String mainClass) {
        return process.descendants().filter(p -> p.info().commandLine().orElse("").contains(mainClass)).toList();
    }

    /** What sshd logged (errors only). */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Kills the sessions it still serves, then sshd itself, waits for it, and deletes its directory. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("Sshd: cannot delete " + dir + ": " + e);
        }
    }

    private void awaitListening(long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("sshd exited with status " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("sshd does not accept connections on 127.0.0.1:" + port + " after "
                            + seconds + " s: " + log(), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Runs {@code echo} over ssh as the workers will be started, so that a broken fixture says so by itself. */
    private void checkLogin() throws Exception {
        List<String> command = new ArrayList<>();
        for (String word : template().split(" ")) {
            command.add(word.replace("{user}", System.getProperty("user.name")).replace("{host}", "127.0.0.1")
                    .replace("{command}", "echo logged-in"));
        }
        Process ssh = new ProcessBuilder(command).redirectErrorStream(true).start();
        ssh.getOutputStream().close();
        if (!ssh.waitFor(30, TimeUnit.SECONDS)) {
            ssh.destroyForcibly().waitFor();
            throw new AssertionError("ssh to the test's sshd did not finish within 30 s: " + command + "\n"
                    + log());
        }
        String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ssh.exitValue() != 0 || !out.contains("logged-in")) {
            throw new AssertionError("cannot log in to the test's sshd with " + command + ": exit " + ssh.exitValue()
                    + ": " + out + "\n--- sshd log\n" + log());
        }
    }

    private static Path keygen(Path dir, String name) throws Exception {
        Path key = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "weft-test-" + name,
                "-f", key.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("ssh-keygen for " + key + " failed: " + out);
        }
        // sshd and ssh refuse private keys others may read.
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
