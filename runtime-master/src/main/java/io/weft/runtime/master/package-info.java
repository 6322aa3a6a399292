/**
 * The master side of Weft: the runtime that instrumented programs talk to.
 *
 * <p>Application threads submit tasks and synchronise through {@link io.weft.runtime.master.LocalRuntime}; one
 * analyser thread owns the data registry's versions and the {@link io.weft.runtime.master.TaskGraph}; ready tasks
 * are ordered by a {@link io.weft.runtime.master.SchedulingStrategy} and dispatched to a {@link
 * io.weft.runtime.worker.WorkerGateway}.
 *
 * <p>Implementation notes. Dependencies come from versions: every write makes a new version of a datum and a
 * reader depends only on the producer of the version it reads (read-after-write). Write-after-read hazards are
 * removed by renaming, materialised lazily: a task that writes a datum still being read by running tasks gets a
 * private copy (objects are deep-copied, files copied to a sibling temporary name); otherwise it works in place.
 * When no task uses a datum any more, its latest version is moved back into the program's own object or file
 * ("consolidation") and the runtime forgets it, so memory is bounded by the tasks in flight.
 */
package io.weft.runtime.master;
