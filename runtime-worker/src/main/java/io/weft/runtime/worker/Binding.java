package io.weft.runtime.worker;

/**
 * How one datum reaches a task: the object or file the task reads, whether the task must work on a private copy,
 * and — for files — the path the task must use.
 *
 * <p>A copy is asked for when the task writes a version of the datum that other, still running tasks read: the
 * master's renaming, materialised. Files are given by their absolute path strings.
 *
 * @param kind what the datum is
 * @param source the object or file path the task reads; {@code null} for a file the task only writes
 * @param copy whether the task must get a private copy of {@code source}
 * @param target for files, the path the task uses (equal to {@code source} when in place)
 * @param written whether the task writes a new version of the datum (a worker in another process sends it back)
 */
public record Binding(Kind kind, Object source, boolean copy, String target, boolean written) {
    /** The kinds of data a task can be given. */
    public enum Kind {
        /** An object, passed by reference (or as a deep copy). */
        OBJECT,
        /** A file, passed as a {@code Path} or {@code File}. */
        FILE
    }

    /** An object binding. */
    public static Binding object(Object source, boolean copy, boolean written) {
        return new Binding(Kind.OBJECT, source, copy, null, written);
    }

    /** A file binding of a task that writes the file. */
    public static Binding file(String source, String target, boolean copy) {
        return file(source, target, copy, true);
    }

    /**
     * A file binding.
     *
     * @param written whether the task writes the file (check mode reports a task that changes a file it only reads)
     */
    public static Binding file(String source, String target, boolean copy, boolean written) {
        return new Binding(Kind.FILE, source, copy, target, written);
    }
}
