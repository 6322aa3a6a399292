package io.weft.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * How Weft's agent goes on a JVM's command line this launcher builds.
 *
 * <p>{@code -agentlib:instrument=<jar>[=<options>]} is what the JVM makes of {@code -javaagent:<jar>[=<options>]},
 * less one step: {@code -javaagent} also adds {@code java.instrument} to the root modules, which turns off the JDK's
 * archived module graph ({@code -Xlog:cds} says "optimized module handling: disabled"), and the JVM then resolves
 * the module graph while it interprets, some 25–30 ms of each start on a 2-core machine. A program on the class
 * path has {@code java.instrument} among its root modules anyway, unless {@code --limit-modules} leaves it out:
 * then the command keeps {@code -javaagent}.
 */
final class AgentOption {
    private AgentOption() {}

    /**
     * @param options the agent's options, or empty for none
     * @param jvmOptionsSeen every option the JVM will see: the environment's ({@code JAVA_TOOL_OPTIONS} and the
     *     like) and the command's
     */
    static String of(Path jar, String options, List<String> jvmOptionsSeen) {
        String tail = jar + (options.isEmpty() ? "" : "=" + options);
        for (String o : jvmOptionsSeen) {
            if (o.contains("--limit-modules")) {
                return "-javaagent:" + tail;
            }
        }
        return "-agentlib:instrument=" + tail;
    }

    /** The options every JVM started from here sees from its environment, then {@code given}. */
    static List<String> jvmOptionsSeen(List<String> given) {
        List<String> seen = new java.util.ArrayList<>();
        for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                seen.addAll(List.of(value.trim().split("\\s+")));
            }
        }
        seen.addAll(given);
        return seen;
    }
}
