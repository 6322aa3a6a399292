package io.weft.runtime.master.config;

import io.weft.log.LogLevel;
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
 * @param workers how many worker processes to start on this host (a local cluster), or 0 to run tasks in this
 *     process; {@code threads} is then each worker's executor count
 * @param workerTimeoutMillis how long a worker process may stay silent before it is taken for lost
 * @param workerStartMillis how long a worker process may take to start and connect
 * @param tls whether connections with worker processes are encrypted
 * @param awaitWorkers whether {@code main} starts only once every worker process serves
 * @param classCache whether worker processes on this host use (and the run makes) the class-data archive of a
 *     worker's start-up classes
 * @param runtimeCompiler which JIT compiler optimises Weft's own runtime code: {@code auto}, {@code c1} or {@code c2}
 *     (lower case); the agent applies it in this JVM, and the worker processes the master starts are told of
 *     {@code c2}
 * @param verbose whether to say on standard error how long each step of the start took (and, in the agent, each
 *     class's instrumentation)
 * @param check the check mode: tasks run one at a time, and each one that writes what it did not declare is
 *     reported
 * @param waitWarningMillis how long a thread waits for tasks before a warning says what it waits for; 0 never
 * @param wallClockLimitMillis how long the run may last before it is stopped, or 0 for no limit
 * @param masterPort the port worker processes connect to, or -1 for the project's (else any free one)
 * @param workerJvmOptions options for the JVM of each worker process the master starts
 * @param runFolder the run folder, where the master writes its log, the workers theirs and the master the
 *     resources and project descriptions the run used; or {@code null} for none (no file is written)
 * @param logLevel what reaches the log files of the run folder
 * @param checkpoint the checkpoint folder, where finished tasks and their outputs are saved and from which a run
 *     started again resumes; or {@code null} for none
 * @param checkpointEveryTasks the journal is written out after this many finished tasks
 * @param checkpointEveryMillis or, if more than 0, after this many milliseconds
 * @param program the program's entry class (or jar), which a checkpoint folder belongs to
 */
public record RuntimeConfig(
        int threads,
        int maxPending,
        String scheduler,
        boolean summary,
        boolean progress,
        Path resources,
        Path project,
        Path placements,
        int workers,
        long workerTimeoutMillis,
        long workerStartMillis,
        boolean tls,
        boolean awaitWorkers,
        boolean classCache,
        String runtimeCompiler,
        boolean verbose,
        boolean check,
        long waitWarningMillis,
        long wallClockLimitMillis,
        int masterPort,
        java.util.List<String> workerJvmOptions,
        Path runFolder,
        LogLevel logLevel,
        Path checkpoint,
        int checkpointEveryTasks,
        long checkpointEveryMillis,
        String program) {
    public RuntimeConfig {
        workerJvmOptions = java.util.List.copyOf(workerJvmOptions);
    }

    /** Whether C2 compiles Weft's own runtime code as any code ({@code runtimeCompiler=c2}). */
    public boolean runtimeC2() {
        return runtimeCompiler.equals("c2");
    }

    /** Builds the configuration from the agent's options; absent options take their defaults. */
    public static RuntimeConfig from(Map<String, String> options) {
        boolean terminal = System.console() != null;
        int workers = Integer.parseInt(options.getOrDefault("workers", "0"));
        int processors = Runtime.getRuntime().availableProcessors();
        return new RuntimeConfig(
                Integer.parseInt(options.getOrDefault("threads",
                        String.valueOf(workers > 0 ? Math.max(1, processors / workers) : processors))),
                Integer.parseInt(options.getOrDefault("maxPending", "100000")),
                options.getOrDefault("scheduler", "locality"),
                flag(options.getOrDefault("summary", "auto"), terminal),
                flag(options.getOrDefault("progress", "auto"), terminal),
                path(options.get("resources")),
                path(options.get("project")),
                path(options.get("placements")),
                workers,
                (long) (Double.parseDouble(options.getOrDefault("workerTimeout", "10")) * 1000),
                (long) (Double.parseDouble(options.getOrDefault("workerStartTimeout", "60")) * 1000),
                Boolean.parseBoolean(options.getOrDefault("tls", "false")),
                Boolean.parseBoolean(options.getOrDefault("awaitWorkers", "false")),
                Boolean.parseBoolean(options.getOrDefault("classCache", "true")),
                options.getOrDefault("runtimeCompiler", "auto").toLowerCase(java.util.Locale.ROOT),
                Boolean.parseBoolean(options.getOrDefault("verbose", "false")),
                Boolean.parseBoolean(options.getOrDefault("check", "false")),
                (long) (Double.parseDouble(options.getOrDefault("waitWarning", "30")) * 1000),
                (long) (Double.parseDouble(options.getOrDefault("wallClockLimit", "0")) * 1000),
                Integer.parseInt(options.getOrDefault("masterPort", "-1")),
                nonEmpty(options.getOrDefault("workerJvmOptions", "").split(";")),
                path(options.get("runFolder")),
                LogLevel.parse(options.getOrDefault("logLevel", "info")),
                path(options.get("checkpoint")),
                everyTasks(options.getOrDefault("checkpointEvery", "1")),
                everyMillis(options.getOrDefault("checkpointEvery", "1")),
                options.getOrDefault("main", commandProgram()));
    }

    /**
     * The trimmed pieces that are not empty. A loop, not a stream: this runs before {@code main}, where a stream's
     * first use loads some 15 classes.
     */
    private static java.util.List<String> nonEmpty(String[] pieces) {
        java.util.List<String> kept = new java.util.ArrayList<>();
        for (String p : pieces) {
            if (!p.trim().isEmpty()) {
                kept.add(p.trim());
            }
        }
        return java.util.List.copyOf(kept);
    }

    /** {@code checkpointEvery} as a number of tasks ({@code 100}), or 1 when it is a duration. */
    private static int everyTasks(String every) {
        return every.matches("\\d+") ? Integer.parseInt(every) : 1;
    }

    /**
     * {@code checkpointEvery} as a duration in milliseconds, or 0 when it is a count; the agent gives a duration
     * as seconds followed by {@code s}.
     */
    private static long everyMillis(String every) {
        return every.endsWith("s")
                ? Math.round(Double.parseDouble(every.substring(0, every.length() - 1)) * 1000) : 0;
    }

    /** The program's entry class (or jar), from the java command line. */
    private static String commandProgram() {
        String command = System.getProperty("sun.java.command", "").trim();
        String first = command.isEmpty() ? "(unknown)" : command.split("\\s+")[0];
        return first.endsWith(".jar") ? Path.of(first).getFileName().toString() : first;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static boolean flag(String value, boolean auto) {
        return value.equalsIgnoreCase("auto") ? auto : Boolean.parseBoolean(value);
    }
}
