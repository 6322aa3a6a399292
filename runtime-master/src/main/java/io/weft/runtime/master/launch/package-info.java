/**
 * Starting a run's workers and keeping track of them: {@link io.weft.runtime.master.launch.WorkerLauncher} starts
 * them as the configuration says (in this process, as processes on this host, over ssh, or adopted) and hands back
 * a gateway to each; {@link io.weft.runtime.master.launch.WorkerPool} is the master's endpoint that worker processes
 * connect to, with heartbeats and {@link io.weft.runtime.master.launch.Liveness}; the rest build launch commands and
 * the run's secret.
 */
package io.weft.runtime.master.launch;
