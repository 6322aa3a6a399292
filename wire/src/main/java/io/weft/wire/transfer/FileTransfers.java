package io.weft.wire.transfer;

import io.netty.buffer.ByteBuf;
import io.weft.wire.Message;
import io.weft.wire.WireConnection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Files between processes of a run that share no disk: the sender streams them in frame-sized chunks
 * ({@link WireConnection#sendFile}, zero-copy without TLS); the receiver writes each chunk to the file as it
 * arrives, straight from the connection's buffer, so a file never sits whole in memory on either side.
 */
public final class FileTransfers {
    private FileTransfers() {}

    /** A file on its way in: {@link #done} completes with its path once the last chunk is written, or with why not. */
    public static final class Receipt extends Pending {
        final Path path;
        private final FileChannel out;
        private long written;
        public final CompletableFuture<Path> done = new CompletableFuture<>();

        private Receipt(WireConnection from, Path path, FileChannel out) {
            super(from);
            this.path = path;
            this.out = out;
        }

        @Override
        public void abandon(Throwable why) {
            FileTransfers.abandon(this, why);
        }
    }

    /**
     * Makes the file (and its directory) that a fetch from {@code from} will fill.
     *
     * @throws IOException if it cannot be made
     */
    public static Receipt receive(WireConnection from, Path path) throws IOException {
        Files.createDirectories(path.getParent());
        return new Receipt(from, path, FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
    }

    /**
     * Writes a chunk to the file waiting for it in {@code waiting} (by request id); at the last chunk, or at the
     * error the sender sent, the fetch completes and is removed. A chunk no one waits for any more, or from
     * another connection than the one the file was asked on, is dropped.
     * Event loop: the write goes to the page cache, so it is short.
     */
    public static void deliver(Map<Long, Receipt> waiting, WireConnection from, Message.FileData d) {
        Receipt r = waiting.get(d.request());
        if (r == null || r.from() != from) {
            return; // not what this fetch asked that peer for
        }
        r.touch();
        if (d.error() != null) {
            if (waiting.remove(d.request()) != null) {
                abandon(r, new IllegalStateException(d.error()));
            }
            return;
        }
        try {
            ByteBuf bytes = d.bytes();
            int at = bytes.readerIndex();
            int end = bytes.writerIndex();
            while (at < end) {
                at += bytes.getBytes(at, r.out, r.written + (at - bytes.readerIndex()), end - at);
            }
            r.written += end - bytes.readerIndex();
            if (d.last()) {
                waiting.remove(d.request());
                r.out.close();
                r.done.complete(r.path);
            }
        } catch (IOException | RuntimeException e) {
            if (waiting.remove(d.request()) != null) {
                abandon(r, new IllegalStateException("cannot write " + r.path + ": " + e.getMessage(), e));
            }
        }
    }

    /**
     * Answers a file fetch with why the file cannot be sent: a last {@link Message.FileData} with no bytes, so the
     * side that serves files never handles a frame buffer itself.
     */
    public static void refuse(WireConnection to, long request, String why) {
        to.send(new Message.FileData(request, true, null, why));
    }

    /** Gives up a file on its way in: the part written is deleted, and the fetch fails with {@code why}. */
    public static void abandon(Receipt r, Throwable why) {
        try {
            r.out.close();
        } catch (IOException e) {
            // the per-run directory goes at the end anyway
        }
        delete(r.path);
        r.done.completeExceptionally(why);
    }

    /**
     * Fails the transfers coming over a connection that closed ({@code closed}, or {@code null} for none), and
     * those whose sender has been silent for longer than {@code limitMillis} ({@code Long.MAX_VALUE} for no limit).
     */
    public static void expire(Map<Long, ? extends Pending> waiting, WireConnection closed, long limitMillis) {
        long now = System.nanoTime();
        for (Map.Entry<Long, ? extends Pending> e : waiting.entrySet()) {
            Pending p = e.getValue();
            if (p.from() == null) {
                continue; // tied to no connection: its waiter's timeout ends it
            }
            boolean gone = closed != null && p.from() == closed;
            boolean silent = (now - p.lastActivity()) / 1_000_000 > limitMillis;
            if ((gone || silent) && waiting.remove(e.getKey()) != null) {
                p.abandon(new IllegalStateException(gone
                        ? "the connection to " + closed.remoteAddress() + " closed during the transfer"
                        : p.from().remoteAddress() + " sent nothing for " + limitMillis + " ms"));
            }
        }
    }

    /** Deletes a kept file and the directory made for it, if that is now empty. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
            Path dir = file.getParent();
            if (dir != null) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                }
            }
        } catch (IOException e) {
            // the per-run directory goes at the end anyway
        }
    }
}
