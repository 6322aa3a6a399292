package io.weft.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A run's folder: where the launcher writes the command line, and the runtime its logs and the resources and
 * project files it used. Its name is the program's, the start time and random letters, made with an atomic
 * create, so concurrent runs, of one user or several, never share one. Readable by its owner only: logs may hold
 * data.
 */
final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunFolder() {}

    /** The default place of run folders: {@code ~/.weft/runs}. */
    static Path defaultBase() {
        return Path.of(System.getProperty("user.home"), ".weft", "runs");
    }

    /** Makes a new run folder for the program {@code name} in {@code base} (made if missing). */
    static Path create(Path base, String name) {
        Path b = base.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(b)) {
                Files.createDirectories(b, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            for (int attempt = 0; ; attempt++) {
                byte[] random = new byte[2];
                RANDOM.nextBytes(random);
                Path folder = b.resolve(name + "-" + LocalDateTime.now().format(STAMP) + "-"
                        + HexFormat.of().formatHex(random));
                try {
                    return Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (FileAlreadyExistsException e) {
                    if (attempt > 100) {
                        throw e;
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new LauncherException("cannot make a run folder in " + b + ": " + e
                    + " (choose another place with --log-dir)");
        }
    }

    /** A run folder made before, by {@code weft submit}, for its job's {@code weft run}. */
    static Path existing(Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(f)) {
            throw new LauncherException("--run-folder " + folder + ": no such folder");
        }
        return f;
    }

    /** Writes {@code command.txt}: the weft command as given, and the command line it runs. */
    static void writeCommand(Path folder, List<String> weftArguments, List<String> programCommand) {
        String text = "weft " + quote(weftArguments) + "\n" + quote(programCommand) + "\n";
        try {
            Files.writeString(folder.resolve("command.txt"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LauncherException("cannot write " + folder.resolve("command.txt") + ": " + e.getMessage());
        }
    }

    /** The words quoted for a POSIX shell where needed. */
    static String quote(List<String> words) {
        return words.stream().map(RunFolder::quote).collect(Collectors.joining(" "));
    }

    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=,+@%^-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
