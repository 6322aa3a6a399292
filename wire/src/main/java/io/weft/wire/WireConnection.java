package io.weft.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An authenticated connection to a peer of the run. Thread-safe: messages may be sent from any thread.
 *
 * <p>Messages sent while earlier ones wait to be written join them: the connection's event loop writes whatever
 * has queued up and flushes once, so a burst of small messages (tasks dispatched together, reports of short tasks)
 * costs one wake-up and one system call rather than one each.
 */
public final class WireConnection {
    /** A file goes in chunks of at most this many bytes, each one frame (less if the frame limit is lower). */
    public static final int FILE_CHUNK_BYTES = 4 << 20;
    /** Room for a file chunk frame's header: the frame header, the request, the flag and a null error. */
    private static final int FILE_CHUNK_OVERHEAD = Frames.HEADER_BYTES + 8 + 1 + 1;
    /** How many chunks of one file may be on their way at once: enough to keep the socket busy, no more. */
    private static final int CHUNKS_IN_FLIGHT = 4;

    private final Channel channel;
    private final UUID runId;
    private final int fileChunk;
    private final Queue<Message> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Runnable drain = this::drain;

    WireConnection(Channel channel, UUID runId, int maxFrame) {
        this.channel = channel;
        this.runId = runId;
        this.fileChunk = Math.max(1, Math.min(FILE_CHUNK_BYTES, maxFrame - FILE_CHUNK_OVERHEAD));
    }

    /** How many bytes of a file one chunk carries: both sides of a run use the same frame limit. */
    public int fileChunkBytes() {
        return fileChunk;
    }

    /**
     * Sends a message; returns at once. Messages from one thread are sent in the order they were given. The event
     * loop writes them; sent on that loop itself (a report read there that the loop handles itself, say), they are
     * written once the loop has handled what it read, all with one flush, and no thread is woken. A {@link #close}
     * after them waits for them.
     */
    public void send(Message message) {
        outgoing.add(message);
        if (draining.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                outgoing.clear(); // the connection's threads have stopped: nothing can be sent any more
            }
        }
    }

    /** Whether the calling thread is the event loop this connection's messages are read and written on. */
    public boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /**
     * Sends a message and says when it has been written to the socket: for a last word before the process ends.
     * It may overtake messages {@link #send} has queued and not written yet.
     *
     * @return completed once written, or exceptionally if it could not be
     */
    public CompletableFuture<Void> sendNow(Message message) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            channel.writeAndFlush(message).addListener(f -> {
                if (f.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(f.cause());
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    private void drain() {
        while (true) {
            Message m;
            int written = 0;
            while ((m = outgoing.poll()) != null) {
                channel.write(m, channel.voidPromise());
                written++;
            }
            if (written > 0) {
                channel.flush();
            }
            draining.set(false);
            // A message added after the last poll but before the flag was cleared would wait: take it now.
            if (outgoing.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /**
     * Streams a file as {@link Message.FileData} chunks answering {@code request}. Without TLS the bytes go from the
     * file to the socket without passing through this process ({@code sendfile}); with TLS each chunk is read into
     * a buffer to be encrypted. At most a few chunks are on their way at once, so a large file never sits in
     * memory. If the file cannot be read, or is found shorter than it was before a chunk starts, the peer gets a
     * chunk with the reason instead; only a failure in the middle of a chunk closes the connection, as the peer
     * could not tell where the chunk ends.
     *
     * @return completed with the number of bytes sent once the last chunk is written, or exceptionally
     */
    public CompletableFuture<Long> sendFile(long request, Path file) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        try {
            channel.eventLoop().execute(() -> new FileStream(request, file, done).start());
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.completeExceptionally(new WireException("the connection is closed"));
        }
        return done;
    }

    /** One file on its way: chunks are written as earlier ones leave. Event loop only. */
    private final class FileStream {
        private final long request;
        private final Path file;
        private final CompletableFuture<Long> done;
        private final boolean encrypted = channel.pipeline().get(WirePipeline.TLS) != null;
        private FileChannel reader;
        private long size;
        private long position;
        private int inFlight;
        private boolean wroteAny;

        FileStream(long request, Path file, CompletableFuture<Long> done) {
            this.request = request;
            this.file = file;
            this.done = done;
        }

        void start() {
            try {
                reader = FileChannel.open(file, StandardOpenOption.READ);
                size = reader.size();
            } catch (IOException | RuntimeException e) {
                refuse("cannot read " + file + ": " + e, e);
                return;
            }
            next();
        }

        /** Tells the peer why the file does not come (between chunks, so the connection stays usable). */
        private void refuse(String why, Throwable e) {
            close();
            send(new Message.FileData(request, true, null, why.length() > 4000 ? why.substring(0, 4000) : why));
            done.completeExceptionally(e);
        }

        private void next() {
            boolean wrote = false;
            while (!done.isDone() && inFlight < CHUNKS_IN_FLIGHT && (position < size || position == 0 && !wroteAny)) {
                long count = Math.min(fileChunk, size - position);
                boolean last = position + count == size;
                ChannelFuture written;
                try {
                    if (reader.size() < position + count) {
                        refuse(file + " became shorter while it was being sent", new IOException(file + " shrank"));
                        return;
                    }
                    written = writeChunk(position, (int) count, last);
                } catch (IOException e) {
                    refuse("cannot read " + file + ": " + e, e); // before the chunk's header went out
                    return;
                } catch (RuntimeException e) {
                    fail(e);
                    return;
                }
                wroteAny = true;
                wrote = true;
                position += count;
                inFlight++;
                written.addListener(f -> {
                    inFlight--;
                    if (!f.isSuccess()) {
                        fail(f.cause());
                    } else if (position == size && inFlight == 0) {
                        close();
                        done.complete(size);
                    } else {
                        next();
                    }
                });
            }
            if (wrote) {
                channel.flush();
            }
        }


        /** Writes one frame: its header, then the file's bytes (unflushed). */
        private ChannelFuture writeChunk(long at, int count, boolean last) throws IOException {
            ByteBuf header = channel.alloc().buffer(64);
            int start = Frames.beginFrame(header, MessageCodec.FILE_DATA, runId);
            MessageCodec.writeFileDataHeader(header, request, last, null);
            header.setInt(start, header.writerIndex() - start - 4 + count);
            if (encrypted) {
                // TLS encrypts buffers, not file regions: read the chunk in.
                ByteBuf bytes = channel.alloc().directBuffer(count);
                try {
                    while (bytes.writerIndex() < count) {
                        if (bytes.writeBytes(reader, at + bytes.writerIndex(), count - bytes.writerIndex()) < 0) {
                            throw new IOException(file + " shrank while it was being sent");
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    bytes.release();
                    header.release();
                    throw e;
                }
                channel.write(header, channel.voidPromise());
                return channel.write(bytes);
            }
            channel.write(header, channel.voidPromise());
            return channel.write(new DefaultFileRegion(file.toFile(), at, count));
        }

        private void fail(Throwable e) {
            close();
            // The peer cannot tell a half-sent file from a whole one otherwise: the connection goes.
            if (done.completeExceptionally(e)) {
                channel.close();
            }
        }

        private void close() {
            if (reader == null) {
                return;
            }
            try {
                reader.close();
            } catch (IOException e) {
                // read-only: nothing lost
            }
        }
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** Closes the connection, once the messages sent before are written. */
    public void close() {
        try {
            channel.eventLoop().execute(channel::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            channel.close(); // the loop has stopped: the channel is closed with it
        }
    }

    @Override
    public String toString() {
        return "connection to " + channel.remoteAddress();
    }
}
