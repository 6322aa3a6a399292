package io.weft.launcher;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them on a command line: {@code 90} or {@code 90s} (seconds), {@code 10m},
 * {@code 1h30m}, {@code 2d}, and SLURM's forms {@code MM:SS}, {@code HH:MM:SS}, {@code D-HH}, {@code D-HH:MM} and
 * {@code D-HH:MM:SS}. SLURM reads a bare number as minutes; here a bare number is seconds, as in every other Weft
 * option, and {@code weft submit} converts.
 */
final class Durations {
    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s?)?");
    private static final Pattern CLOCK = Pattern.compile("(?:(\\d+)-)?(\\d+)(?::(\\d+))?(?::(\\d+))?");

    private Durations() {}

    /**
     * The duration in seconds.
     *
     * @throws LauncherException naming the accepted forms
     */
    static long seconds(String text, String what) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
            Matcher u = UNITS.matcher(t);
            if (!t.contains(":") && !t.contains("-") && u.matches()) {
                double s = num(u.group(1)) * 86400 + num(u.group(2)) * 3600 + num(u.group(3)) * 60
                        + (u.group(4) == null ? 0 : Double.parseDouble(u.group(4)));
                return positive(Math.round(Math.ceil(s)), text, what);
            }
            Matcher c = CLOCK.matcher(t);
            if (c.matches() && (t.contains(":") || t.contains("-"))) {
                long days = num(c.group(1));
                long a = num(c.group(2));
                Long b = c.group(3) == null ? null : num(c.group(3));
                Long d = c.group(4) == null ? null : num(c.group(4));
                long s;
                if (c.group(1) != null) { // D-HH[:MM[:SS]]
                    s = days * 86400 + a * 3600 + (b == null ? 0 : b * 60) + (d == null ? 0 : d);
                } else if (d != null) { // HH:MM:SS
                    s = a * 3600 + b * 60 + d;
                } else { // MM:SS
                    s = a * 60 + b;
                }
                return positive(s, text, what);
            }
        }
        throw new LauncherException(what + " " + text + ": expected a duration such as 90s, 10m, 1h30m, 2d,"
                + " 01:30:00 or 1-00:00:00");
    }

    /** The duration in SLURM's {@code D-HH:MM:SS} form. */
    static String slurm(long seconds) {
        long d = seconds / 86400;
        long h = seconds % 86400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return (d > 0 ? d + "-" : "") + String.format(Locale.ROOT, "%02d:%02d:%02d", h, m, s);
    }

    private static long positive(long s, String text, String what) {
        if (s <= 0) {
            throw new LauncherException(what + " " + text + ": must be longer than zero");
        }
        return s;
    }

    private static long num(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }
}
