package io.weft.runtime.master.gateway;

/**
 * Where a worker finds a file it keeps in its own directory, for a task placed on a node that does not see the
 * master's path: carried as a {@code Binding}'s source to the remote gateway, which says it in its task message.
 *
 * @param kind where the input comes from
 * @param key the input's key (in the worker, its holder, or the master)
 * @param holder for {@link Source#PEER}, the index of the node that keeps it
 * @param name the file's name, which the task sees
 * @param written whether the task writes a new version
 * @param outputKey the key the new version (or, for {@link Source#NONE}, the file) is kept under
 */
public record StagedFile(Source kind, long key, int holder, String name, boolean written, long outputKey) {
    /** Where a staged input comes from. */
    public enum Source {
        /** There is no input: the task makes the file. */
        NONE,
        /** The worker already keeps it. */
        KEPT,
        /** The worker of another node keeps it: fetched from there. */
        PEER,
        /** The master's disk: fetched from the master, which offers it for this task. */
        MASTER
    }
}
