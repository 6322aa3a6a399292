/**
 * Moving data over a {@link io.weft.wire.WireConnection}, shared by the master and the workers: a serialised
 * object cut into frame-sized chunks and put back together ({@link io.weft.wire.transfer.Chunks}), a file
 * written to disk chunk by chunk as it arrives ({@link io.weft.wire.transfer.FileTransfers}), and the method
 * descriptor that names a task's method on both sides ({@link io.weft.wire.transfer.Descriptors}).
 *
 * <p>Threading: chunks are delivered on the connection's Netty event loop, so delivery only copies or writes
 * (to the page cache) and never deserialises; whoever waits on a transfer's future does the rest on its own thread.
 * The maps of transfers in flight belong to the caller and must be concurrent.
 *
 * <p>Frame buffers ({@code io.netty} types) are handled here and go no further: callers see byte arrays, paths
 * and futures.
 */
package io.weft.wire.transfer;
