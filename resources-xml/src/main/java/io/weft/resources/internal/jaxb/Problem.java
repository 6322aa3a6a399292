package io.weft.resources.internal.jaxb;

import io.weft.resources.ResourcesFileException;
import java.nio.file.Path;

/**
 * Something wrong in a file, before it is tied to the file's path.
 *
 * @param line the line, from 1, or {@code 0} if it concerns the whole file
 * @param column the column, from 1, or {@code 0}
 * @param text what is wrong: which element, what was found, what is accepted
 */
record Problem(int line, int column, String text) {
    ResourcesFileException in(Path file) {
        return new ResourcesFileException(file, line, column, text);
    }
}
