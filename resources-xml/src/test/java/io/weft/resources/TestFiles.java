package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test files from text blocks and checks where a {@link ResourcesFileException} points. */
final class TestFiles {
    private TestFiles() {}

    /** Writes {@code text} to {@code dir/name}. Line 1 of the file is the first line of the text block. */
    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exception reading {@code text} as a resources file throws. */
    static ResourcesFileException resourcesError(Path dir, String text) {
        Path file = write(dir, "resources.xml", text);
        return assertThrows(ResourcesFileException.class, () -> ResourcesFiles.readResources(file));
    }

    /** The exception reading {@code text} as a project file throws. */
    static ResourcesFileException projectError(Path dir, String text) {
        Path file = write(dir, "project.xml", text);
        return assertThrows(ResourcesFileException.class, () -> ResourcesFiles.readProject(file));
    }

    /**
     * Checks the file name, position and message prefix {@code file:line:column: } of a problem, and that its
     * message contains each of {@code words}. Returns the message, to check more.
     */
    static String assertProblem(ResourcesFileException e, String fileName, int line, int column, String... words) {
        assertThat(e.file().getFileName()).hasToString(fileName);
        assertThat(e.line()).as("line of: %s", e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as("column of: %s", e.getMessage()).isEqualTo(column);
        assertThat(e.getMessage()).startsWith(e.file() + ":" + line + ":" + column + ": ").contains(words)
                .doesNotContain("cvc-");
        return e.getMessage();
    }
}
