package io.weft.log;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Log files are their user's alone: a log may quote the program's data (a failed task's message, say). Folders a
 * log needs are made with mode 700, and the file with mode 600; what exists already is left as it is (the run
 * folder the launcher made is private already).
 */
final class PrivateFiles {
    private PrivateFiles() {}

    /** Makes {@code file}'s missing folders, and the file if missing, readable by this user only. */
    static void prepare(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            try {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(folder);
            }
        }
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // Another thread or process made it meanwhile.
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
        }
    }
}
