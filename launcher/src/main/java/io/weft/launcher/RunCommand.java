package io.weft.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weft run}: the program with the agent, on the local default (its own JVM, every core), a local cluster
 * ({@code --workers N}) or the nodes of a resources file. Makes the run folder, says where it is, and hands the
 * program's command line on ({@link ProgramCommand}); the exit status is the program's.
 */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Run a Java program with Weft: its @Task calls become parallel tasks.",
        footer = {"", "Options go before the main class; what follows it is the program's own arguments.",
            "Examples:", "  weft run -cp app.jar com.acme.Main input.txt",
            "  weft run --workers 2 --summary -jar app.jar"})
final class RunCommand implements Callable<Integer> {
    /** The variable in which {@code bin/weft} gives its own process number, which the program's JVM will have. */
    static final String WEFT_PID = "WEFT_PID";

    @Mixin
    RunOptions options;


    /** weft submit's job runs the master in the run folder weft submit made, where the job's files already are. */
    @Option(names = "--run-folder", hidden = true, paramLabel = "DIR")
    Path runFolder;


    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Installation installation = Installation.current().requireJars();
        Program p = options.program();
        List<String> arguments = options.arguments();
        Path dir = options.workDir == null ? Path.of("").toAbsolutePath() : options.workDir.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new LauncherException("--work-dir " + options.workDir + ": no such folder");
        }
        Path base = options.logDir != null ? options.logDir : RunFolder.defaultBase();
        // The options are checked before the folder is made: a mistake leaves nothing behind.
        Map<String, String> agent = options.agentOptions();
        Path folder = runFolder != null ? RunFolder.existing(runFolder) : RunFolder.create(base, p.shortName());
        agent.put("runFolder", folder.toString());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> jvm = new ArrayList<>();
        MasterClassCache cache = "false".equalsIgnoreCase(agent.get("classCache")) ? null
                : MasterClassCache.of(java, installation, AgentOption.jvmOptionsSeen(options.jvmOptions));
        if (cache != null) {
            cache.prune();
        }
        if (cache != null && cache.ready()) {
            jvm.addAll(cache.useOptions());
        } else if (cache != null && trains()) {
            jvm.addAll(cache.trainOptions(Long.parseLong(System.getenv(WEFT_PID)), java));
        }
        jvm.addAll(options.jvmOptions); // after ours: the user's own -Xshare or archive wins
        // Weft's jars first in every run with the cache on, as the archive needs, whether it is made yet or not.
        List<String> head = cache != null ? cache.classPathHead() : List.of();
        List<String> argv = command(java, installation, p, agent, jvm, head, arguments);
        RunFolder.writeCommand(folder, spec.commandLine().getParseResult().originalArgs(), argv);
        System.err.println("weft: run folder " + folder);
        System.err.flush();
        return new ProgramCommand(argv, dir, Map.of()).launch();
    }

    /**
     * Whether this run may record its classes for the class-data archive: only when {@code bin/weft} execs the
     * program's JVM in its own process, whose number it gave, and not in a batch job, whose end stops the process
     * that would make the archive (and whose node's temporary folder may not outlive it).
     */
    private boolean trains() {
        String pid = System.getenv(WEFT_PID);
        if (!ProgramCommand.execs() || pid == null || !pid.matches("[1-9][0-9]{0,17}") || runFolder != null) {
            return false;
        }
        String job = System.getenv("SLURM_JOB_ID");
        return job == null || job.isBlank();
    }

    /**
     * The program's command line: its JVM with the agent, the options as {@code -Dweft.*}, the class path.
     *
     * @param classPathHead entries the class path must start with (Weft's jars, for the class-data archive)
     */
    static List<String> command(Path java, Installation installation, Program p, Map<String, String> agentOptions,
            List<String> jvmOptions, List<String> classPathHead, List<String> arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmOptions);
        argv.add(AgentOption.of(installation.agentJar(), "", AgentOption.jvmOptionsSeen(jvmOptions)));
        agentOptions.forEach((k, v) -> argv.add("-Dweft." + k + "=" + v));
        argv.add("-cp");
        List<String> classPath = new ArrayList<>(classPathHead);
        for (String entry : p.classPath(installation.apiJar()).split(File.pathSeparator)) {
            if (!classPathHead.contains(entry)) {
                classPath.add(entry);
            }
        }
        argv.add(String.join(File.pathSeparator, classPath));
        argv.add(p.mainClass());
        argv.addAll(arguments);
        return argv;
    }
}
