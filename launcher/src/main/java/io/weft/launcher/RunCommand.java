package io.weft.launcher;

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
        List<String> argv = command(installation, p, agent, options.jvmOptions, arguments);
        RunFolder.writeCommand(folder, spec.commandLine().getParseResult().originalArgs(), argv);
        System.err.println("weft: run folder " + folder);
        System.err.flush();
        return new ProgramCommand(argv, dir, Map.of()).launch();
    }

    /** The program's command line: its JVM with the agent, the options as {@code -Dweft.*}, the class path. */
    static List<String> command(Installation installation, Program p, Map<String, String> agentOptions,
            List<String> jvmOptions, List<String> arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(jvmOptions);
        argv.add("-javaagent:" + installation.agentJar());
        agentOptions.forEach((k, v) -> argv.add("-Dweft." + k + "=" + v));
        argv.add("-cp");
        argv.add(p.classPath(installation.apiJar()));
        argv.add(p.mainClass());
        argv.addAll(arguments);
        return argv;
    }
}
