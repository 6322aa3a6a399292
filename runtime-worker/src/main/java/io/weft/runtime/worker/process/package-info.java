/**
 * The worker as a process of its own: {@link io.weft.runtime.worker.process.WorkerMain} starts it, proves it
 * belongs to the run, and keeps in touch with the master. Remote task execution is built on this next.
 */
package io.weft.runtime.worker.process;
