package io.weft.runtime.master;

import io.weft.log.Log;

/**
 * Lines of one kind that go to standard error (as warnings) the first few times, then to the run's log only, so a
 * run where the same thing happens thousands of times does not flood the terminal. Thread-safe.
 */
final class CappedWarnings {
    private final Log log;
    private final int shown;
    private final String warningPrefix;
    private final String lastShown;
    private int said;

    /**
     * @param shown how many lines go to standard error
     * @param warningPrefix put before a line on standard error only (the log has its own)
     * @param lastShown added to the last line that goes to standard error, saying where the others go; or "" for
     *     nothing
     */
    CappedWarnings(Log log, int shown, String warningPrefix, String lastShown) {
        this.log = log;
        this.shown = shown;
        this.warningPrefix = warningPrefix;
        this.lastShown = lastShown;
    }

    synchronized void say(String line) {
        if (said < shown) {
            log.warn(warningPrefix + line + (++said == shown ? lastShown : ""));
        } else {
            log.info(line);
        }
    }
}
