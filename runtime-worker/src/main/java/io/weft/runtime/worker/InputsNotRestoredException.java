package io.weft.runtime.worker;

/**
 * Attached (as a suppressed exception) to the exception of a failed attempt whose in-place updates could not all be
 * put back: what it names may be as the failed attempt left it, so the task is not run again on it.
 */
public final class InputsNotRestoredException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InputsNotRestoredException(String message) {
        super(message);
    }

    /** Whether a failed attempt's exception says that some of what it updated in place could not be put back. */
    public static boolean in(Throwable error) {
        for (Throwable s : error.getSuppressed()) {
            if (s instanceof InputsNotRestoredException) {
                return true;
            }
        }
        return false;
    }
}
