package io.weft.runtime.master.gateway;

/**
 * A version of an object that stays in a worker process's store: too large to come back with the task's report.
 * Tasks placed on that node use it there; tasks elsewhere fetch it from that worker; the master fetches it only when
 * the program needs it (the datum goes quiet and is moved home).
 *
 * @param node the index of the node whose worker keeps it
 * @param key its key in that worker's store
 * @param bytes its serialised size
 * @param className its class, to check a task's result against its placeholder without fetching it
 */
public record RemoteValue(int node, long key, long bytes, String className) implements Kept {}
