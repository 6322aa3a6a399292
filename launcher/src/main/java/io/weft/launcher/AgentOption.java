package io.weft.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * How Weft's agent goes on a JVM's command line this launcher builds.
 *
 * <p>{@code -agentlib:instrument=<jar>[=<options>]} loads the same agent, with the same options, as
 * {@code -javaagent:<jar>[=<options>]}, without the step that turns off the JDK's archived module graph:
 * {@code -javaagent} also adds {@code java.instrument} to the root modules, and then ({@code -Xlog:cds} says
 * "optimized module handling: disabled") the JVM resolves its module graph itself while it interprets, some 10–20
 * ms of each start on a 2-core machine. A program on the class path has {@code java.instrument} among its root
 * modules anyway. The command keeps {@code -javaagent} when the JVM's options could differ in a way that matters:
 * {@code --limit-modules} could leave the module out (the JVM then stops at once); an argument file
 * ({@code @file}) or {@code -XX:VMOptionsFile} could hold that option unseen; and JDK 17 refuses to write a
 * class-data archive ({@code -XX:ArchiveClassesAtExit}, {@code -XX:+RecordDynamicDumpInfo}, {@code -Xshare:dump})
 * with an agent loaded through {@code -agentlib}, which it allows with {@code -javaagent} and
 * {@code -XX:+AllowArchivingWithJavaAgent}.
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
        return needsJavaagent(jvmOptionsSeen) ? "-javaagent:" + tail : "-agentlib:instrument=" + tail;
    }

    /** Whether these JVM options (each a word, or a variable's whole value) call for {@code -javaagent}. */
    static boolean needsJavaagent(List<String> jvmOptions) {
        for (String o : jvmOptions) {
            for (String word : o.trim().split("\\s+")) {
                if (word.startsWith("@") || word.contains("--limit-modules") || word.contains("VMOptionsFile")
                        || word.contains("ArchiveClassesAtExit") || word.contains("RecordDynamicDumpInfo")
                        || word.contains("-Xshare:dump")) {
                    return true;
                }
            }
        }
        return false;
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
