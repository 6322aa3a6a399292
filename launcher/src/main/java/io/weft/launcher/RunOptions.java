package io.weft.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options of a run, shared by {@code weft run} and {@code weft submit} (a picocli mixin). They become the
 * program's JVM options and Weft's agent options, given as {@code -Dweft.<option>} system properties so that values
 * may hold commas. Mutable while picocli fills it; read once after.
 */
final class RunOptions {
    /** Levels of {@code --log-level}. */
    enum LogLevel { warn, info, debug, trace }

    /** Policies of {@code --scheduler}. */
    enum Scheduler { locality, critical, fifo, lifo }

    @Option(names = {"-cp", "--classpath", "--class-path"}, paramLabel = "PATH",
            description = "the program's class path, entries separated by '${sys:path.separator}' (default:"
                    + " $CLASSPATH, else the current folder); weft-api.jar is added")
    String classPath;

    @Option(names = "--resources", paramLabel = "FILE",
            description = "the resources.xml describing the nodes (default: this machine)")
    Path resources;

    @Option(names = "--project", paramLabel = "FILE",
            description = "the project.xml saying which nodes the run uses and how their workers start")
    Path project;

    @Option(names = "--workers", paramLabel = "N",
            description = "run the tasks in N worker processes on this host, a local cluster (default: in the"
                    + " program's JVM)")
    Integer workers;

    @Option(names = "--threads", paramLabel = "N",
            description = "executor threads of the local worker, or of each worker process with --workers")
    Integer threads;

    @Option(names = "--scheduler", paramLabel = "POLICY",
            description = "which ready task runs next and where: ${COMPLETION-CANDIDATES} (default: locality)")
    Scheduler scheduler;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "what Weft writes to the run folder's logs: ${COMPLETION-CANDIDATES} (default: info)")
    LogLevel logLevel;

    @Option(names = {"-d", "--debug"}, description = "the same as --log-level debug")
    boolean debug;

    @Option(names = "--summary", negatable = true,
            description = "print the end-of-run summary on standard error (default: on a terminal)")
    Boolean summary;

    @Option(names = "--progress", negatable = true,
            description = "show a progress bar on standard error (default: on a terminal)")
    Boolean progress;

    @Option(names = "--master-port", paramLabel = "PORT",
            description = "the port worker processes connect to (default: a free one)")
    Integer masterPort;

    @Option(names = "--jvm-option", paramLabel = "OPTION",
            description = "an option for the program's (the master's) JVM, e.g. --jvm-option=-Xmx8g; repeatable")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--worker-jvm-option", paramLabel = "OPTION",
            description = "an option for each worker process's JVM, e.g. --worker-jvm-option=-Xmx4g; repeatable")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(names = "--wall-clock-limit", paramLabel = "DURATION",
            description = "stop the run cleanly once it has run this long (90s, 10m, 1h30m, 01:30:00), exit"
                    + " status 124")
    String wallClockLimit;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "the folder the program runs in (default: the current one)")
    Path workDir;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "where run folders are made (default: ~/.weft/runs)")
    Path logDir;

    @Option(names = "-jar",
            description = "run a jar: the first word after the options is the jar, whose manifest's Main-Class runs;"
                    + " the words after it are the program's arguments")
    boolean jar;

    @Parameters(paramLabel = "<main class> [arguments]", description = "the program's entry class, then its arguments")
    List<String> words = new ArrayList<>();

    @Option(names = {"-A", "--agent-option"}, paramLabel = "NAME=VALUE",
            description = "any agent option (see docs/agent-options.md), e.g. -A check=true; repeatable")
    Map<String, String> agentOptions = new LinkedHashMap<>();

    /**
     * The agent options these options stand for, as name → value, checked. {@code runFolder} is not among them:
     * {@code weft run} adds the folder it makes, once the options are known to be right.
     */
    Map<String, String> agentOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        if (workers != null) {
            if (workers < 1) {
                throw new LauncherException("--workers " + workers + ": expected a whole number of at least 1");
            }
            if (resources != null) {
                throw new LauncherException("--workers and --resources cannot go together: --workers N starts a"
                        + " local cluster of N worker processes; a resources file describes the nodes instead");
            }
            o.put("workers", String.valueOf(workers));
        }
        if (threads != null) {
            if (threads < 1) {
                throw new LauncherException("--threads " + threads + ": expected a whole number of at least 1");
            }
            o.put("threads", String.valueOf(threads));
        }
        if (resources != null) {
            o.put("resources", existing(resources, "--resources").toString());
        }
        if (project != null) {
            o.put("project", existing(project, "--project").toString());
        }
        if (scheduler != null) {
            o.put("scheduler", scheduler.name());
        }
        if (summary != null) {
            o.put("summary", summary.toString());
        }
        if (progress != null) {
            o.put("progress", progress.toString());
        }
        if (masterPort != null) {
            if (masterPort < 0 || masterPort > 65535) {
                throw new LauncherException("--master-port " + masterPort + ": expected 0 to 65535");
            }
            o.put("masterPort", String.valueOf(masterPort));
        }
        if (!workerJvmOptions.isEmpty()) {
            for (String option : workerJvmOptions) {
                if (option.contains(";")) {
                    throw new LauncherException("--worker-jvm-option " + option + ": may not contain ';'");
                }
            }
            o.put("workerJvmOptions", String.join(";", workerJvmOptions));
        }
        if (wallClockLimit != null) {
            o.put("wallClockLimit", String.valueOf(Durations.seconds(wallClockLimit, "--wall-clock-limit")));
        }
        LogLevel level = debug ? LogLevel.debug : logLevel;
        if (level != null) {
            o.put("logLevel", level.name());
        }
        for (Map.Entry<String, String> e : agentOptions.entrySet()) {
            if (e.getKey().equals("runFolder")) {
                throw new LauncherException("-A runFolder=" + e.getValue() + ": weft makes a run folder for each run;"
                        + " choose where with --log-dir");
            }
            if (o.containsKey(e.getKey())) {
                throw new LauncherException("-A " + e.getKey() + "=" + e.getValue() + " repeats an option of its own: "
                        + "use the weft option for " + e.getKey());
            }
            o.put(e.getKey(), e.getValue());
        }
        return o;
    }

    /** The program the words after the options name, checked: its main class is on its class path. */
    Program program() {
        return Program.of(jar, words, classPath());
    }

    /** The program's own arguments. */
    List<String> arguments() {
        return Program.arguments(words);
    }

    /** The program's class path as the user gave it, or its default. */
    String classPath() {
        if (classPath != null) {
            return classPath;
        }
        String env = System.getenv("CLASSPATH");
        return env == null || env.isBlank() ? "." : env;
    }

    static Path existing(Path file, String option) {
        Path p = file.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new LauncherException(option + " " + file + ": no such file");
        }
        return p;
    }
}
