package io.weft.wire.transfer;

import io.weft.wire.Message;
import io.weft.wire.WireConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A serialised object cut into frame-sized chunks ({@link #CHUNK_BYTES}), and put back together. */
public final class Chunks {
    /**
     * The largest chunk of a serialised object in one frame: with its header, a frame then fits one of Netty's
     * pooled 4 MiB chunks instead of an unpooled buffer zeroed and freed each time.
     */
    public static final int CHUNK_BYTES = (4 << 20) - (64 << 10);

    private Chunks() {}

    /** Receives the chunks of one object in order; the last one says so. */
    @FunctionalInterface
    public interface Sink {
        void chunk(byte[] chunk, boolean last);
    }

    /** Cuts {@code bytes} into chunks (at least one, possibly empty) and hands each to {@code sink}. */
    public static void split(byte[] bytes, Sink sink) {
        if (bytes.length <= CHUNK_BYTES) {
            sink.chunk(bytes, true); // one chunk: the bytes themselves, not a copy
            return;
        }
        int at = 0;
        do {
            int end = Math.min(bytes.length, at + CHUNK_BYTES);
            sink.chunk(Arrays.copyOfRange(bytes, at, end), end == bytes.length);
            at = end;
        } while (at < bytes.length);
    }

    /**
     * Hands a {@link Message.Data} chunk to the fetch waiting for it in {@code waiting} (by request id): the
     * fetch completes, and is removed, with the whole at the last chunk or with the error the holder sent. An
     * answer to a fetch no longer waited for is dropped.
     */
    public static void deliver(Map<Long, ? extends Assembly> waiting, Message.Data d) {
        Assembly a = waiting.get(d.request());
        if (a == null) {
            return;
        }
        if (d.error() != null) {
            waiting.remove(d.request());
            a.done.completeExceptionally(new IllegalStateException(d.error()));
            return;
        }
        byte[] whole = a.add(d.chunk(), d.last());
        if (whole != null) {
            waiting.remove(d.request());
            a.done.complete(whole);
        }
    }

    /** The chunks of one object on their way in; {@link #done} completes with the whole, or with why not. */
    public static final class Assembly extends Pending {
        private final List<byte[]> parts = new ArrayList<>();
        public final CompletableFuture<byte[]> done = new CompletableFuture<>();

        /** An object coming over {@code from}: it fails when that connection closes or goes silent. */
        public Assembly(WireConnection from) {
            super(from);
        }

        /** An object tied to no connection: only its waiter's timeout ends it. */
        public Assembly() {
            this(null);
        }

        /** Adds a chunk (called by one thread at a time); returns the whole once the last one is in, else null. */
        public byte[] add(byte[] chunk, boolean last) {
            touch();
            if (chunk != null) {
                parts.add(chunk);
            }
            if (!last) {
                return null;
            }
            if (parts.size() == 1) {
                return parts.remove(0);
            }
            int size = 0;
            for (byte[] p : parts) {
                size += p.length;
            }
            byte[] whole = new byte[size];
            int at = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, whole, at, p.length);
                at += p.length;
            }
            parts.clear();
            return whole;
        }

        @Override
        public void abandon(Throwable why) {
            done.completeExceptionally(why);
        }
    }
}
