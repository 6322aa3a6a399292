package io.weft.runtime.master.remote;

/**
 * Where each worker of the run serves its data to its peers, by node index: what a task message names when a
 * task's input is kept by another worker. Filled by the launcher as each worker comes to serve, before any task
 * is sent to it (a worker that holds a datum has served). Thread-safe.
 */
public final class PeerDirectory {
    /** A worker's data address. */
    public record Peer(String host, int dataPort) {}

    private final java.util.concurrent.atomic.AtomicReferenceArray<Peer> peers;

    public PeerDirectory(int nodes) {
        this.peers = new java.util.concurrent.atomic.AtomicReferenceArray<>(nodes);
    }

    /** Records where the worker of node {@code index} serves its data. */
    public void set(int index, Peer peer) {
        peers.set(index, peer);
    }

    Peer of(int index) {
        return peers.get(index);
    }
}
