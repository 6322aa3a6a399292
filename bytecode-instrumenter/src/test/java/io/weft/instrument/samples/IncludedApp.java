package io.weft.instrument.samples;

import io.weft.api.InOut;
import io.weft.api.Task;

/**
 * An application class whose package falls under a built-in exclusion (io.weft.instrument.), as an application
 * under org.eclipse. or io.netty. would; the agent's include option is meant to bring such classes back.
 */
public final class IncludedApp {
    public double value;

    @Task
    public static void bump(@InOut IncludedApp app) {
        app.value++;
    }

    public static void run(IncludedApp app) {
        bump(app);
    }
}
