/**
 * The worker side of Weft as the master sees it: the contract, with no implementation.
 *
 * <p>The master reaches a worker through its own gateway (in this process, or over the wire to a worker process).
 * An attempt goes in as an immutable {@link io.weft.runtime.worker.TaskExecution} whose data are
 * {@link io.weft.runtime.worker.Binding}s and whose {@link io.weft.runtime.worker.ResourceDemand} the worker
 * meets from its {@link io.weft.runtime.worker.WorkerResources}; it comes back as a
 * {@link io.weft.runtime.worker.TaskOutcome}. All are immutable values, safe on any thread.
 *
 * <p>The worker never depends on the master. Its parts live in sub-packages: {@code executor} (the executor pool
 * that runs tasks), {@code objects} (object copying and serialisation, shared with the master), {@code endpoint}
 * (what a worker process does for the run) and {@code process} (the worker process's entry point).
 */
package io.weft.runtime.worker;
