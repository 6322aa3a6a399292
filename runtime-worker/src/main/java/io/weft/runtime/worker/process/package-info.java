/**
 * The worker as a process of its own: {@link io.weft.runtime.worker.process.WorkerMain} reads its command line
 * ({@code WorkerOptions}), proves it belongs to the run, makes its per-run directory, listens for its peers and
 * connects to the master; then its {@link io.weft.runtime.worker.endpoint.WorkerEndpoint} serves the run until
 * the master ends it, goes away or stays silent. {@code WorkerRuntime} is the Weft runtime as task code sees it
 * there.
 *
 * <p>Threading: the main thread starts the process, then watches the master's silence and expires stalled fetches
 * every 200 ms until the run ends; everything else runs on the endpoint's threads.
 */
package io.weft.runtime.worker.process;
