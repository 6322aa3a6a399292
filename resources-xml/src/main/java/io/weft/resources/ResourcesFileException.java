package io.weft.resources;

import java.nio.file.Path;

/**
 * A resources or project file that cannot be used: not well-formed XML, not valid against its schema, or
 * inconsistent. The message starts with {@code file:line:column:} and says which element, what was found and
 * what is accepted.
 */
public final class ResourcesFileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final int column;

    /**
     * @param file the file
     * @param line its line, from 1, or {@code 0} if unknown
     * @param column its column, from 1, or {@code 0} if unknown
     * @param problem what is wrong, without the location
     */
    public ResourcesFileException(Path file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public Path file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
