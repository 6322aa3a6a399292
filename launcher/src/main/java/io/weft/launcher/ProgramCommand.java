package io.weft.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command the launcher hands on: a JVM to run in a folder, with some environment variables. Immutable.
 *
 * @param argv the command line
 * @param dir the folder it runs in
 * @param environment variables to set for it
 */
record ProgramCommand(List<String> argv, Path dir, Map<String, String> environment) {
    /** The variable {@code bin/weft} sets to the file in which the launcher writes the command to exec. */
    static final String EXEC_FILE = "WEFT_EXEC_FILE";

    ProgramCommand {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /** Whether {@code bin/weft} asked for the command, to {@code exec} it in its own process. */
    static boolean execs() {
        String execFile = System.getenv(EXEC_FILE);
        return execFile != null && !execFile.isBlank();
    }

    /**
     * Runs the command: through {@code bin/weft}'s {@code exec} when it asked for that, else as a child process.
     *
     * @return the exit status the launcher should end with
     */
    int launch() {
        if (execs()) {
            String execFile = System.getenv(EXEC_FILE);
            // The folder, then the words of the command, each ended by a NUL: bash's mapfile -d '' reads them.
            List<String> words = new ArrayList<>();
            words.add(dir.toString());
            if (!environment.isEmpty()) {
                words.add("env");
                environment.forEach((k, v) -> words.add(k + "=" + v));
            }
            words.addAll(argv);
            StringBuilder b = new StringBuilder();
            for (String w : words) {
                if (w.indexOf('\0') >= 0) {
                    throw new LauncherException("a NUL character in the command line: " + w);
                }
                b.append(w).append('\0');
            }
            try {
                Files.writeString(Path.of(execFile), b, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LauncherException("cannot write " + execFile + " (" + EXEC_FILE + "): " + e.getMessage());
            }
            return 0;
        }
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).inheritIO();
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new LauncherException("cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        Thread stop = new Thread(() -> {
            if (p.isAlive()) {
                p.destroy();
            }
        }, "weft-launcher-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // Keep waiting: the child's status is the answer.
            }
        }
    }
}
