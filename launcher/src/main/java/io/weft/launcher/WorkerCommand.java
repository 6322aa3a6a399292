package io.weft.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft worker}: a worker process started by hand, or by a batch system's launcher, for a node the project
 * file declares {@code <External>}. It connects to the master and serves until the run ends. The run's credentials
 * come from the file {@code WEFT_RUN_SECRET_FILE} names.
 */
@Command(name = "worker", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Start a worker process for an <External> node; it connects to the master.",
        footer = {"", "The run's credentials come from the file $WEFT_RUN_SECRET_FILE names (the master makes it).",
            "Example:", "  WEFT_RUN_SECRET_FILE=~/.weft/run.secret weft worker --master head:47000 -cp app.jar"})
final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--master", required = true, paramLabel = "HOST:PORT", description = "where the master listens")
    String master;

    @Option(names = "--node", paramLabel = "NAME",
            description = "the node it serves, as project.xml names it (default: $WEFT_NODE, else $SLURMD_NODENAME)")
    String node;

    @Option(names = {"-cp", "--classpath", "--class-path"}, paramLabel = "PATH",
            description = "the application's class path on this node (default: the current folder)")
    String classPath = ".";

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "where the worker makes its folder for the run (default: ${sys:java.io.tmpdir})")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--cores", paramLabel = "N", description = "computing units for tasks (default: all)")
    Integer cores;

    @Option(names = "--slots", paramLabel = "N", description = "executor threads (default: --cores)")
    Integer slots;

    @Option(names = "--gpus", paramLabel = "LIST",
            description = "its GPU devices: name:memoryBytes:vendor, comma-separated")
    String gpus;

    @Option(names = "--memory", paramLabel = "BYTES", description = "memory tasks may reserve")
    String memory;

    @Option(names = "--port", paramLabel = "PORT|MIN-MAX", description = "the port it serves its peers on")
    String port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "the address it serves its peers on")
    String bind;

    @Option(names = "--master-timeout", paramLabel = "MILLIS",
            description = "leave the run when the master is silent this long (default 30000)")
    String masterTimeout;

    @Option(names = "--connect-timeout", paramLabel = "MILLIS",
            description = "wait this long for the credentials file and the master (default 60000)")
    String connectTimeout;

    @Option(names = "--store-budget", paramLabel = "BYTES",
            description = "kept versions beyond this many bytes go to disk (default: half the heap)")
    String storeBudget;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "its log: what it does, its warnings and errors (default: none; warnings still go to"
                    + " standard error)")
    Path logFile;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "what the log file takes: ${COMPLETION-CANDIDATES} (default: info)")
    RunOptions.LogLevel logLevel;

    @Option(names = "--jvm-option", paramLabel = "OPTION", description = "an option for the worker's JVM; repeatable")
    List<String> jvmOptions = new ArrayList<>();

    @Override
    public Integer call() {
        Installation installation = Installation.current().requireJars();
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-XX:+UseParallelGC");
        argv.add("-Xss4m");
        argv.addAll(jvmOptions);
        argv.add(AgentOption.of(installation.agentJar(), "role=worker", AgentOption.jvmOptionsSeen(jvmOptions)));
        argv.add("-cp");
        argv.add(installation.agentJar() + File.pathSeparator + classPath);
        argv.add("io.weft.runtime.worker.process.WorkerMain");
        add(argv, "--master", master);
        add(argv, "--node", node);
        add(argv, "--work-dir", workDir.toAbsolutePath().toString());
        add(argv, "--cores", cores);
        add(argv, "--slots", slots);
        add(argv, "--gpus", gpus);
        add(argv, "--memory", memory);
        add(argv, "--port", port);
        add(argv, "--bind", bind);
        add(argv, "--master-timeout", masterTimeout);
        add(argv, "--connect-timeout", connectTimeout);
        add(argv, "--store-budget", storeBudget);
        add(argv, "--log-file", logFile == null ? null : logFile.toAbsolutePath());
        add(argv, "--log-level", logLevel);
        return new ProgramCommand(argv, Path.of("").toAbsolutePath(), Map.of()).launch();
    }

    private static void add(List<String> argv, String option, Object value) {
        if (value != null) {
            argv.add(option);
            argv.add(value.toString());
        }
    }
}
