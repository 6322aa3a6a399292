/**
 * The worker side of Weft: what executes tasks.
 *
 * <p>{@link io.weft.runtime.worker.WorkerGateway} is how the master reaches a worker; {@link
 * io.weft.runtime.worker.LocalWorker} is the in-process implementation used in local mode, with one {@link
 * io.weft.runtime.worker.ExecutorThread} per computing unit. A task arrives as an immutable {@link
 * io.weft.runtime.worker.TaskExecution} and leaves as a {@link io.weft.runtime.worker.TaskOutcome}; the worker
 * never depends on the master.
 */
package io.weft.runtime.worker;
