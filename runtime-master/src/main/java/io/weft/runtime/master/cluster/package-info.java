/**
 * Worker processes as the master sees them: starting them ({@link io.weft.runtime.master.cluster.WorkerPool}),
 * reporting why one failed to start ({@link io.weft.runtime.master.cluster.WorkerStartException}), and noticing
 * when one stops answering ({@link io.weft.runtime.master.cluster.Liveness}). Remote task execution is built on
 * this next; the runtime does not use it yet.
 */
package io.weft.runtime.master.cluster;
