package io.weft.launcher;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** The top command, {@code weft}, with its subcommands. Without one it prints its help. */
@Command(name = "weft", mixinStandardHelpOptions = true, versionProvider = WeftCommand.Version.class,
        subcommands = {RunCommand.class, SubmitCommand.class, WorkerCommand.class, VersionCommand.class,
            SlurmSetupCommand.class,
            CommandLine.HelpCommand.class},
        description = "Weft runs sequential Java programs in parallel: their @Task calls become tasks.",
        footer = {"", "'weft help <command>' or 'weft <command> --help' lists a command's options."})
final class WeftCommand implements Runnable {
    /** The exit status of a command line the launcher refused. */
    static final int USAGE = 2;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A command line for {@code weft}, with Weft's error handling and defaults from {@code conf/weft.properties}. */
    static CommandLine commandLine(Installation installation) {
        CommandLine cl = new CommandLine(new WeftCommand());
        cl.setDefaultValueProvider(ConfDefaults.of(installation));
        // Every command's -V says the version, not only the top one's.
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
        // The program's own arguments start at the main class: `weft run Main --help` is Main's --help.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.getSubcommands().get("submit").setStopAtPositional(true);
        cl.setParameterExceptionHandler(WeftCommand::badCommandLine);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof LauncherException) {
                line.getErr().println("weft: error: " + e.getMessage());
                line.getErr().flush();
                return USAGE;
            }
            throw e;
        });
        return cl;
    }

    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        boolean unknownCommand = e instanceof UnmatchedArgumentException && line.getParent() == null
                && !((UnmatchedArgumentException) e).getUnmatched().isEmpty()
                && !((UnmatchedArgumentException) e).getUnmatched().get(0).startsWith("-");
        err.println("weft: error: " + (unknownCommand
                ? "unknown command '" + ((UnmatchedArgumentException) e).getUnmatched().get(0) + "'"
                : e.getMessage()));
        if (e instanceof UnmatchedArgumentException) {
            UnmatchedArgumentException u = (UnmatchedArgumentException) e;
            if (!u.getSuggestions().isEmpty()) {
                err.println("weft: did you mean " + String.join(" or ", u.getSuggestions()) + "?");
            }
        }
        err.println("weft: '" + line.getCommandSpec().qualifiedName() + " --help' lists the options.");
        err.flush();
        return USAGE;
    }

    /** {@code weft --version}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"weft " + Installation.current().version()};
        }
    }
}
