package io.weft.runtime.master.remote;

/**
 * Where each worker of the run serves its data to its peers, by node index: what a task message names when a
 * task's input is kept by another worker. Filled once by the launcher before any task is sent; read-only after.
 */
public final class PeerDirectory {
    /** A worker's data address. */
    public record Peer(String host, int dataPort) {}

    private final Peer[] peers;

    public PeerDirectory(int nodes) {
        this.peers = new Peer[nodes];
    }

    /** Records where the worker of node {@code index} serves its data. */
    public void set(int index, Peer peer) {
        peers[index] = peer;
    }

    Peer of(int index) {
        return peers[index];
    }
}
