/**
 * How the master reaches a worker: {@link io.weft.runtime.master.gateway.WorkerGateway}, one interface whose
 * methods return futures (or, for an attempt's end, tell a callback), with an in-process implementation here and a
 * remote one in {@code io.weft.runtime.master.remote}; and the references to what a worker keeps for the master
 * ({@link io.weft.runtime.master.gateway.Kept} objects and files, {@link io.weft.runtime.master.gateway.StagedFile}
 * inputs), which the graph records and the gateways turn into messages; and the bytes a version of an object
 * crossed as, which lineage keeps within a budget ({@link io.weft.runtime.master.gateway.VersionBytes}).
 */
package io.weft.runtime.master.gateway;
