package io.weft.runtime.master.gateway;

/**
 * A version of a file kept in a worker process's own directory, on a node that does not see the file's path: the
 * worker wrote it there, or fetched it there for a task. Tasks on that node use it there; tasks on other nodes
 * fetch it from that worker; the master fetches it when the datum goes quiet and the program's file must hold it.
 *
 * @param node the index of the node whose worker keeps it
 * @param key its key in that worker
 * @param bytes its length, or -1 if the version is "no file" (the task deleted it, or never made it)
 */
public record RemoteFile(int node, long key, long bytes) implements Kept {}
