package io.weft.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What to say about connections dropped before they proved themselves: the first few one by one, then a count at
 * most once a minute. A port that anyone can reach may be scanned, or flooded with garbage; one line per
 * connection would flood the terminal and the log instead. Thread-safe; time is given by the caller.
 */
public final class RejectionLog {
    /** Dropped connections said one by one. */
    static final int SHOWN = 10;
    private static final long SUMMARY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final String prefix;
    private int shown;
    private long counted;
    private long lastSummary;

    /** @param prefix what each line starts with: {@code weft: } or {@code weft worker n1: } */
    public RejectionLog(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The lines to print for a connection from {@code peer} dropped for {@code reason} at {@code nowNanos}: none,
     * one or two.
     */
    public synchronized List<String> dropped(Object peer, String reason, long nowNanos) {
        List<String> lines = new ArrayList<>(2);
        String line = prefix + "dropped the connection from " + peer + ": " + reason;
        if (shown < SHOWN) {
            shown++;
            lines.add(line);
            if (shown == SHOWN) {
                lines.add(prefix + "more dropped connections are counted, and the count said at most once a minute");
                lastSummary = nowNanos;
            }
            return lines;
        }
        counted++;
        if (nowNanos - lastSummary >= SUMMARY_NANOS) {
            lines.add(prefix + counted + " more dropped connection" + (counted == 1 ? "" : "s")
                    + " since the last count; the last one: " + peer + ": " + reason);
            counted = 0;
            lastSummary = nowNanos;
        }
        return lines;
    }
}
