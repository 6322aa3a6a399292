package io.weft.runtime.master;

import java.nio.file.Path;
import java.util.Map;

/**
 * The runtime's settings, validated by the agent and immutable here.
 *
 * @param threads executor threads of the local worker when no resources file is given
 * @param maxPending tasks that may be pending before a submitting thread waits
 * @param scheduler the scheduling policy's name
 * @param summary whether to print the end-of-run summary
 * @param progress whether to show a progress bar
 * @param resources the resources file, or {@code null} for the local machine
 * @param project the project file, or {@code null} to use every node of the resources file
 * @param placements where to record each task's placement, or {@code null}
 */
public record RuntimeConfig(
        int threads,
        int maxPending,
        String scheduler,
        boolean summary,
        boolean progress,
        Path resources,
        Path project,
        Path placements) {
    /** Builds the configuration from the agent's options; absent options take their defaults. */
    public static RuntimeConfig from(Map<String, String> options) {
        boolean terminal = System.console() != null;
        return new RuntimeConfig(
                Integer.parseInt(options.getOrDefault("threads",
                        String.valueOf(Runtime.getRuntime().availableProcessors()))),
                Integer.parseInt(options.getOrDefault("maxPending", "100000")),
                options.getOrDefault("scheduler", "locality"),
                flag(options.getOrDefault("summary", "auto"), terminal),
                flag(options.getOrDefault("progress", "auto"), terminal),
                path(options.get("resources")),
                path(options.get("project")),
                path(options.get("placements")));
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static boolean flag(String value, boolean auto) {
        return value.equalsIgnoreCase("auto") ? auto : Boolean.parseBoolean(value);
    }
}
