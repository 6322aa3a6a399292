package io.weft.launcher;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Time limits as SLURM writes them. {@code --time} takes SLURM's forms, where a bare number is minutes
 * ({@code 30}, {@code 30:00}, {@code 1:30:00}, {@code 2-0}, {@code 2-12:00}, {@code 2-12:00:00}), and Weft's
 * ({@code 90s}, {@code 10m}, {@code 1h30m}); {@code squeue -o %L} prints the time a job has left in SLURM's forms, or
 * a word when it has no limit.
 */
final class SlurmTime {
    private SlurmTime() {}

    /**
     * A job's time limit, in seconds.
     *
     * @throws LauncherException naming the accepted forms
     */
    static long limitSeconds(String text, String what) {
        String t = text.trim();
        if (t.matches("\\d+")) { // SLURM: minutes
            long minutes = Long.parseLong(t);
            if (minutes <= 0) {
                throw new LauncherException(what + " " + text + ": must be longer than zero");
            }
            return minutes * 60;
        }
        try {
            return Durations.seconds(t, what);
        } catch (LauncherException e) {
            throw new LauncherException(what + " " + text + ": expected a time limit as SLURM writes it (30 is 30"
                    + " minutes; 30:00, 1:30:00, 2-0, 2-12:00, 2-12:00:00) or 90s, 10m, 1h30m");
        }
    }

    /** The time left that {@code squeue -h -o %L} printed, in seconds; empty for a job without a limit. */
    static OptionalLong left(String squeue) {
        String t = squeue.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty() || !Character.isDigit(t.charAt(0))) { // UNLIMITED, NOT_SET, INVALID
            return OptionalLong.empty();
        }
        return OptionalLong.of(Durations.seconds(t, "the time left that squeue printed,"));
    }
}
