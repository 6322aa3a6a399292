package io.weft.runtime.master.gateway;

/** A version kept in a worker process's store or directory, under a key: forgotten there once no one needs it. */
public sealed interface Kept permits RemoteValue, RemoteFile {
    /** The index of the node whose worker keeps it. */
    int node();

    /** Its key in that worker. */
    long key();

    /** Its size in bytes (serialised, for an object); -1 for a file version that is "no file". */
    long bytes();
}
