package io.weft.wire.transfer;

import io.weft.wire.WireConnection;

/**
 * Something on its way in over one connection, a file ({@link FileTransfers.Receipt}) or an object's chunks
 * ({@link Chunks.Assembly}): it fails when that connection closes or its sender goes silent
 * ({@link FileTransfers#expire}).
 *
 * <p>Threading: the connection's event loop marks each arriving chunk; any thread may read when that was, or give it
 * up.
 */
public abstract class Pending {
    private final WireConnection from;
    private volatile long lastActivity = System.nanoTime();

    Pending(WireConnection from) {
        this.from = from;
    }

    /** The connection it comes over, or {@code null} if it is tied to none (then only its waiter's timeout ends it). */
    public final WireConnection from() {
        return from;
    }

    /** When the last chunk arrived ({@link System#nanoTime}). */
    public final long lastActivity() {
        return lastActivity;
    }

    /** Notes that a chunk arrived now. */
    final void touch() {
        lastActivity = System.nanoTime();
    }

    /** Gives it up: whoever waits for it fails with {@code why}. */
    public abstract void abandon(Throwable why);
}
