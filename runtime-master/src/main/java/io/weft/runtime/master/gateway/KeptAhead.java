package io.weft.runtime.master.gateway;

/**
 * An object version not produced yet, which the worker that runs its producer will keep under {@code key} when that
 * attempt ends: the source of an input of a task sent to that worker ahead of the end (see
 * {@link WorkerGateway#execute(io.weft.runtime.worker.TaskExecution, long[])}). The task waits there for it.
 *
 * @param key the key its producer's attempt keeps it under
 * @param node the node whose worker runs that attempt: the task's own, or another, which the task's worker then asks
 *     for the object directly, to be answered when that attempt ends
 */
public record KeptAhead(long key, int node) {}
