/**
 * The master side of Weft: the runtime that instrumented programs talk to.
 *
 * <p>{@link io.weft.runtime.master.MasterRuntime} wires the parts: application threads submit tasks through the
 * {@link io.weft.runtime.master.Submitter} and wait through the {@link io.weft.runtime.master.Synchroniser}; one
 * {@link io.weft.runtime.master.Analyser} thread owns the data versions and the
 * {@link io.weft.runtime.master.TaskGraph}, orders ready tasks with a
 * {@link io.weft.runtime.master.SchedulingStrategy}, and hands them to each node's
 * {@link io.weft.runtime.master.gateway.WorkerGateway}, whose futures post the outcomes back to it. The
 * {@link io.weft.runtime.master.HomeMover} moves versions into the program's objects and files, fetching those a
 * worker keeps without waiting. Sub-packages: {@code launch} (starting workers), {@code gateway} (the gateway and
 * what workers keep), {@code remote} (the gateway to worker processes), {@code task} (placeholders),
 * {@code config} (settings).
 *
 * <p>Implementation notes. Dependencies come from versions: every write makes a new version of a datum and a
 * reader depends only on the producer of the version it reads (read-after-write). Write-after-read hazards are
 * removed by renaming, materialised lazily: a task that writes a datum still being read by running tasks gets a
 * private copy (objects are deep-copied, files copied to a sibling temporary name); otherwise it works in place.
 * When no task uses a datum any more, its latest version is moved back into the program's own object or file
 * ("consolidation") and the runtime forgets it, so memory is bounded by the tasks in flight. A version that a worker
 * process keeps stays there until the program touches the datum (or, for a file, until the program ends).
 */
package io.weft.runtime.master;
