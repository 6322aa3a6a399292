package io.weft.launcher;

/** The launcher's entry point: {@code bin/weft} runs it with the command line it was given. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Installation installation;
        try {
            installation = Installation.current();
        } catch (LauncherException e) {
            System.err.println("weft: error: " + e.getMessage());
            System.exit(WeftCommand.USAGE);
            return;
        }
        picocli.CommandLine line = WeftCommand.commandLine(installation);
        // @FILE is read as options only by weft worker (the job script of weft submit uses it); elsewhere a word
        // that starts with @ is the program's own.
        line.setExpandAtFiles(args.length > 0 && args[0].equals("worker"));
        System.exit(line.execute(args));
    }
}
