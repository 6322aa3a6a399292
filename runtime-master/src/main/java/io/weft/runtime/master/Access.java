package io.weft.runtime.master;

/**
 * One datum a task uses and how. The versions it reads and writes are filled in by the graph when the task is
 * registered. Owned by the analyser thread once posted.
 */
final class Access {
    final DataHandle handle;
    Mode mode;
    /** For files: whether the task's parameter is a {@code java.io.File}. */
    final boolean asFile;
    Version read;
    Version write;

    Access(DataHandle handle, Mode mode, boolean asFile) {
        this.handle = handle;
        this.mode = mode;
        this.asFile = asFile;
    }
}
