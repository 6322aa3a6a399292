package io.weft.runtime.master;

import io.weft.api.OnFailure;
import io.weft.api.Task;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a task's declaration says about its failures: its {@link OnFailure} policy, how many more attempts
 * {@link OnFailure#RETRY} makes, and the longest an attempt may run. Immutable.
 *
 * @param onFailure what happens when an attempt fails
 * @param retries how many more attempts {@link OnFailure#RETRY} makes (0 for the other policies)
 * @param timeoutNanos the longest an attempt may run, or {@code 0} for no limit
 */
record FailurePolicy(OnFailure onFailure, int retries, long timeoutNanos) {
    /** A task with no {@link Task} annotation at hand (tests): the annotation's defaults. */
    static final FailurePolicy DEFAULT = new FailurePolicy(OnFailure.RETRY, 2, 0);

    private static final Pattern TIMEOUT = Pattern.compile(
            "(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+)ms)?");

    /**
     * The policy a task declares. The agent refused wrong values when the class loaded; this checks again, as a
     * class may reach the runtime by other ways.
     *
     * @throws IllegalArgumentException for negative retries or a timeout that is not a duration
     */
    static FailurePolicy of(Task task) {
        if (task == null) {
            return DEFAULT;
        }
        if (task.retries() < 0) {
            throw new IllegalArgumentException("retries = " + task.retries() + ": 0 or more");
        }
        int retries = task.onFailure() == OnFailure.RETRY ? task.retries() : 0;
        return new FailurePolicy(task.onFailure(), retries, timeoutNanos(task.timeout()));
    }

    /**
     * A timeout as {@code @Task(timeout)} takes it, in nanoseconds: numbers with units, largest first
     * ({@code "1h30m"}, {@code "500ms"}, {@code "2.5s"}); {@code 0} for an empty one.
     *
     * @throws IllegalArgumentException for anything else, or a duration of zero
     */
    static long timeoutNanos(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return 0;
        }
        Matcher m = TIMEOUT.matcher(t);
        if (m.matches()) {
            double seconds = number(m.group(1)) * 86_400 + number(m.group(2)) * 3_600 + number(m.group(3)) * 60
                    + number(m.group(4)) + number(m.group(5)) / 1_000;
            long nanos = (long) Math.min(Long.MAX_VALUE / 2, seconds * 1e9);
            if (nanos > 0) {
                return nanos;
            }
        }
        throw new IllegalArgumentException("timeout = \"" + text + "\": expected a duration with units, longer"
                + " than zero, such as \"500ms\", \"30s\", \"10m\", \"2h\" or \"1h30m\"");
    }

    private static double number(String group) {
        return group == null ? 0 : Double.parseDouble(group);
    }

    /** Whether a failed attempt must leave what it updated in place as it was: unless the run stops at once. */
    boolean restoresInputs() {
        return onFailure != OnFailure.FAIL;
    }
}
