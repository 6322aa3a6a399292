package io.weft.instrument;

import java.util.ArrayList;
import java.util.List;

/**
 * One ordered record of what happened during a test: the {@link TestingRuntime} writes its calls here and the
 * sample classes write their own events (for example {@code toString} running), so tests can assert on order.
 * Public because the samples live in another package.
 */
public final class SampleJournal {
    private static final List<String> EVENTS = new ArrayList<>();

    private SampleJournal() {}

    /** Called by sample code. */
    public static synchronized void note(String event) {
        EVENTS.add(event);
    }

    static synchronized List<String> events() {
        return List.copyOf(EVENTS);
    }

    static synchronized void clear() {
        EVENTS.clear();
    }
}
