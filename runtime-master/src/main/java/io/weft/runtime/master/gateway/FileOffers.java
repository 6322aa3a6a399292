package io.weft.runtime.master.gateway;

/** The master's files that workers may fetch: only those a task sent to that worker reads. Any thread. */
@FunctionalInterface
public interface FileOffers {
    /** The master's file offered under {@code key} to the worker of node {@code node}, or {@code null}. */
    String offered(long key, int node);
}
