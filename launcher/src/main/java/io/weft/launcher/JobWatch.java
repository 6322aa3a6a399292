package io.weft.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a submitted job until it ends ({@code weft submit --wait}), polling {@code scontrol show job}, each call
 * with its time limit; says when its state changes, and at the end how it ended and where its output is. Waiting is
 * bounded: past the limit it says so and leaves the job be. Single-threaded; one job.
 */
final class JobWatch {
    /** States after which a job does nothing more. COMPLETING is not one: its processes may still be ending. */
    static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED",
            "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT", "REVOKED");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S*)");
    private static final int FAILURES_IN_A_ROW = 5;

    private final SlurmCommands slurm;
    private final PrintStream err;

    JobWatch(SlurmCommands slurm, PrintStream err) {
        this.slurm = slurm;
        this.err = err;
    }

    /**
     * Waits for job {@code id} to end.
     *
     * @return the job's exit status, or {@link SubmitCommand#STILL_RUNNING} if it had not ended within
     *     {@code limit}
     * @throws LauncherException if scontrol fails several times in a row
     */
    int await(String id, Duration limit, Path runFolder) {
        long deadline = System.nanoTime() + limit.toNanos();
        Thread hint = new Thread(() -> err.println("weft: job " + id + " goes on without weft watching it; 'scancel "
                + id + "' stops it"), "weft-wait-interrupted");
        Runtime.getRuntime().addShutdownHook(hint);
        String shown = null;
        int failures = 0;
        long pause = 200;
        while (true) {
            SlurmCommands.Result r = slurm.attempt(List.of("scontrol", "show", "job", "-o", id));
            if (r.status() != 0) {
                if (++failures >= FAILURES_IN_A_ROW) {
                    Runtime.getRuntime().removeShutdownHook(hint);
                    throw new LauncherException("cannot follow job " + id + ": 'scontrol show job " + id
                            + "' failed " + failures + " times in a row (exit status " + r.status() + "): "
                            + r.stderr().strip());
                }
            } else {
                failures = 0;
                Map<String, String> f = fields(r.stdout());
                String state = f.getOrDefault("JobState", "UNKNOWN");
                String now = state + ("PENDING".equals(state) ? " (" + f.getOrDefault("Reason", "?") + ")"
                        : "RUNNING".equals(state) ? " on " + f.getOrDefault("NodeList", "?") : "");
                if (!now.equals(shown) && !ENDED.contains(state)) {
                    err.println("weft: job " + id + " is " + now);
                    err.flush();
                    shown = now;
                }
                if (ENDED.contains(state)) {
                    Runtime.getRuntime().removeShutdownHook(hint);
                    int status = exitStatus(state, f.getOrDefault("ExitCode", "0:0"));
                    err.println("weft: job " + id + " ended " + state + ", exit status " + status);
                    err.println("weft: its output: " + runFolder.resolve("job-" + id + ".out") + " (standard error: "
                            + runFolder.resolve("job-" + id + ".err") + ")");
                    err.println("weft: its run folder: " + runFolder);
                    err.flush();
                    return status;
                }
            }
            if (System.nanoTime() > deadline) {
                Runtime.getRuntime().removeShutdownHook(hint);
                err.println("weft: stopped waiting for job " + id + " after " + limit.toSeconds() + " s; it is "
                        + (shown == null ? "in an unknown state" : shown) + " and goes on ('scancel " + id
                        + "' stops it); its run folder: " + runFolder);
                err.flush();
                return SubmitCommand.STILL_RUNNING;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while waiting for job " + id);
            }
            pause = Math.min(2000, pause * 3 / 2);
        }
    }

    /** The {@code Name=value} fields of {@code scontrol show job -o}. */
    static Map<String, String> fields(String text) {
        Map<String, String> out = new TreeMap<>();
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            out.putIfAbsent(m.group(1), m.group(2));
        }
        return out;
    }

    /**
     * A job's exit status from its state and {@code ExitCode=status:signal}: the script's status, or 128 plus the
     * signal that ended it, or 1 for a job that ended otherwise without either.
     */
    static int exitStatus(String state, String exitCode) {
        String[] parts = exitCode.split(":");
        int status = parts.length > 0 && parts[0].matches("\\d+") ? Integer.parseInt(parts[0]) : 0;
        int signal = parts.length > 1 && parts[1].matches("\\d+") ? Integer.parseInt(parts[1]) : 0;
        if (status != 0 || "COMPLETED".equals(state)) {
            return status;
        }
        return signal != 0 ? 128 + signal : 1;
    }
}
