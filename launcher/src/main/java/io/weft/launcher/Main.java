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
        System.exit(WeftCommand.commandLine(installation).execute(args));
    }
}
