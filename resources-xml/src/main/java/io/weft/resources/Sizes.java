package io.weft.resources;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes of memory and storage as people write them: a number and a unit, {@code 512MB}, {@code 6 GB},
 * {@code 1.5TB}, {@code 16GiB}. Decimal units ({@code KB MB GB TB PB}) and binary ones ({@code KiB MiB GiB TiB
 * PiB}) are both powers of 1024, as memory sizes are in practice; {@code B} is bytes; a bare number means
 * gigabytes, as in COMPSs files.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile(
            "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([KMGTP]i?B?|B)?\\s*", Pattern.CASE_INSENSITIVE);

    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "a number and a unit such as 512MB, 6GB, 1.5TB or 16GiB"
            + " (B, KB, MB, GB, TB, PB; a bare number means GB)";

    private Sizes() {}

    /**
     * The number of bytes a size means.
     *
     * @throws IllegalArgumentException if the text is not a size; the message says what is accepted
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; expected " + ACCEPTED);
        }
        String unit = m.group(2) == null ? "G" : m.group(2).toUpperCase(Locale.ROOT);
        int power = switch (unit.charAt(0)) {
            case 'B' -> 0;
            case 'K' -> 1;
            case 'M' -> 2;
            case 'G' -> 3;
            case 'T' -> 4;
            default -> 5;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
        return bytes.longValue();
    }

    /** A size for people: {@code 512 MB}, {@code 1.5 GB}. */
    public static String format(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int i = 0;
        while (value >= 1024 && i < units.length - 1) {
            value /= 1024;
            i++;
        }
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value))
                + " " + units[i];
    }
}
