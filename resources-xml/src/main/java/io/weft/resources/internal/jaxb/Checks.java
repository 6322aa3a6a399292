package io.weft.resources.internal.jaxb;

import io.weft.resources.ResourcesFileException;
import io.weft.resources.Sizes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The checks the schema cannot express, shared by both converters, each failing with a {@link
 * ResourcesFileException} that points at the element concerned: a child given twice (at the second, saying
 * where the first is), a required child missing (at the parent), an empty name, a size, a port.
 */
final class Checks {
    private final Path file;

    Checks(Path file) {
        this.file = file;
    }

    /** A problem at that element. */
    ResourcesFileException at(Located element, String problem) {
        return new ResourcesFileException(file, element.line(), element.column(), problem);
    }

    /** The only one of {@code children}, or {@code null} if there is none; fails at the second one if several. */
    <T extends Located> T single(List<T> children, Where parent, String child) throws ResourcesFileException {
        if (children.size() > 1) {
            throw at(children.get(1), parent.child(child) + ": given twice; the first is at "
                    + children.get(0).position() + ". Give it once");
        }
        return children.isEmpty() ? null : children.get(0);
    }

    /** Like {@link #single}, but fails at the parent if there is none; {@code hint} says what to write. */
    <T extends Located> T required(List<T> children, Located parentElement, Where parent, String child, String hint)
            throws ResourcesFileException {
        T only = single(children, parent, child);
        if (only == null) {
            throw at(parentElement, parent + " has no <" + child + ">; it is required: " + hint);
        }
        return only;
    }

    /** The text of the only one of {@code children}, or {@code ""}. */
    String text(List<Text> children, Where parent, String child) throws ResourcesFileException {
        Text only = single(children, parent, child);
        return only == null ? "" : only.value();
    }

    /** A {@code Name} (or other identifying attribute) that must not be blank. */
    void name(String name, Located element, Where where, String example) throws ResourcesFileException {
        if (name == null || name.isBlank()) {
            throw at(element, where + ": the name is empty; expected a name such as " + example);
        }
    }

    /** The value of an element the schema has checked is an {@code xs:int}. */
    int integer(Text text) {
        return Integer.parseInt(text.value());
    }

    /** The value of an element the schema has checked is an {@code xs:decimal}. */
    BigDecimal decimal(Text text) {
        return new BigDecimal(text.value());
    }

    /** A size in bytes, see {@link Sizes}. */
    long size(Text text, Where where) throws ResourcesFileException {
        try {
            return Sizes.parse(text.value());
        } catch (IllegalArgumentException e) {
            throw at(text, where + ": " + e.getMessage());
        }
    }

    /** A port number in {@code lowest..65535}. */
    int port(Text text, Where where, int lowest, String note) throws ResourcesFileException {
        int port = integer(text);
        if (port < lowest || port > 65535) {
            throw at(text, where + ": found " + port + "; expected a port number from " + lowest + " to 65535"
                    + note);
        }
        return port;
    }

    /** A directory that must not be blank. */
    Path directory(Text text, Where where, String example) throws ResourcesFileException {
        if (text.value().isEmpty()) {
            throw at(text, where + " is empty; expected a directory such as " + example);
        }
        try {
            return Path.of(text.value());
        } catch (java.nio.file.InvalidPathException e) {
            throw at(text, where + ": '" + text.value() + "' is not a valid path here: " + e.getReason());
        }
    }

    /** "; it declares [a, b]; did you mean a?" for a name that refers to nothing. */
    static String known(String what, String name, Collection<String> names) {
        return "; " + what + ": " + (names.isEmpty() ? "none" : String.join(", ", names))
                + Suggestions.didYouMean(name, names, "'", "'");
    }
}
