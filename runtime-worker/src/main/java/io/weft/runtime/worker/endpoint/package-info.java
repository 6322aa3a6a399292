/**
 * What a worker process does for the run, as the master and its peers reach it over the wire.
 *
 * <p>{@link io.weft.runtime.worker.endpoint.WorkerEndpoint} is the one public class: it receives every message and
 * hands it to the part that deals with it. {@code TaskIntake} turns a task the master sends into an execution on
 * the worker's executor pool; {@code PeerFetcher} fetches the inputs other workers (or the master) hold;
 * {@code ObjectStore} and {@code FileStore} keep the objects and files the master or the tasks leave here, and serve
 * them; {@code TaskReports} sends the master each attempt's end.
 *
 * <p>Threading: Netty event loops receive messages, answer heartbeats and put incoming chunks together, and never
 * deserialise a payload (that may run class initialisers of any length); the intake deserialises and queues tasks in
 * arrival order, one job at a time, on an executor woken for it or else the intake thread ({@code IntakeTurn});
 * executor threads run tasks and serialise what they produced; two serving threads serialise what peers fetch.
 * State shared between them lives in concurrent maps.
 */
package io.weft.runtime.worker.endpoint;
