package io.weft.it;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need something this machine may lack (an OpenSSH server, root and mount namespaces): where it is
 * missing they are skipped — each one, counted as skipped, with the reason — except in CI (environment variable
 * {@code CI=true}, as CI runs {@code .ci/run}), which installs what the tests need: there a skip would hide a
 * broken machine, so the test fails instead.
 *
 * <p>Call it from {@code @BeforeEach}, not {@code @BeforeAll}: a class whose {@code @BeforeAll} gives up reports no
 * test at all, not even a skipped one.
 */
final class RequiredTool {
    private RequiredTool() {}

    /** Skips (or, in CI, fails) the calling test unless {@code available}; {@code why} says what is missing. */
    static void assume(boolean available, String why) {
        if (available) {
            return;
        }
        if (inCi()) {
            throw new AssertionError("CI must be able to run this test, but " + why);
        }
        Assumptions.abort(why);
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
