/**
 * The master's gateway to worker processes ({@link io.weft.runtime.master.remote.RemoteWorkerGateway}): task
 * messages out, reports in, and fetches of the versions workers keep. The only package of the master that knows a
 * worker is remote. Payloads are encoded and decoded on a codec thread, never on the analyser thread or a Netty
 * event loop.
 */
package io.weft.runtime.master.remote;
