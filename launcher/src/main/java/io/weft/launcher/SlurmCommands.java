package io.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs SLURM's commands ({@code sbatch}, {@code squeue}, {@code scontrol}, {@code scancel}) with a time limit each: a
 * controller that does not answer must not hang {@code weft submit} or a job. A command that is missing, fails or
 * times out is reported with what it printed on standard error and its exit status. Stateless; safe from any thread.
 */
class SlurmCommands {
    /** What a command printed, and how it ended. */
    record Result(int status, String stdout, String stderr) {}

    private final Duration timeout;

    SlurmCommands(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Runs the command and returns what it printed on standard output.
     *
     * @throws LauncherException if it is missing, ends with a non-zero status (its standard error is in the
     *     message), or does not end within the time limit (it is then killed)
     */
    String run(List<String> command) {
        Result r = attempt(command);
        if (r.status() != 0) {
            throw new LauncherException(describe(command) + " failed (exit status " + r.status() + ")"
                    + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
        }
        return r.stdout();
    }

    /**
     * Runs the command and returns how it ended, whatever its status.
     *
     * @throws LauncherException if it is missing or does not end within the time limit
     */
    Result attempt(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            if (onPath(command.get(0)) == null) {
                throw new LauncherException(command.get(0) + " not found on the PATH: weft submit needs SLURM's"
                        + " commands (sbatch, squeue, scontrol, scancel); run it where they are, on a login node");
            }
            throw new LauncherException("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new LauncherException(describe(command) + " did not answer within " + timeout.toSeconds()
                        + " s (is slurmctld up? 'scontrol ping' says)" + stderrSoFar(err));
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LauncherException(describe(command) + " was interrupted");
        }
    }

    private static String stderrSoFar(CompletableFuture<String> err) {
        String text = err.getNow("");
        return text.isBlank() ? "" : ": " + text.strip();
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> {
            Thread t = new Thread(r, "weft-slurm-output");
            t.setDaemon(true);
            t.start();
        });
    }

    static String describe(List<String> command) {
        List<String> shown = new ArrayList<>(command.subList(0, Math.min(command.size(), 6)));
        return "'" + RunFolder.quote(shown) + (command.size() > 6 ? " …" : "") + "'";
    }

    private static Path onPath(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
