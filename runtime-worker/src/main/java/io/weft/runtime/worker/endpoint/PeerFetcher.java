package io.weft.runtime.worker.endpoint;

import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import io.weft.wire.transfer.Chunks;
import io.weft.wire.transfer.FileTransfers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Fetches the inputs a worker's tasks need from the processes that hold them: objects from the workers that keep
 * them, files from those workers or the master. It keeps one connection per peer, made on first use, and fails a
 * fetch whose connection closes or whose sender goes silent.
 *
 * <p>Threading: fetches start on the intake's turn ({@link IntakeTurn}); answers arrive on the connections' event
 * loops, where they are only put together (objects) or written to their file; whoever waits on a fetch's future
 * deserialises the result.
 * Expiry runs on the worker's main thread. Thread-safe (concurrent maps).
 */
final class PeerFetcher {
    private final String node;
    private final WireClient client;
    private final WireListener listener;
    private final Supplier<WireConnection> master;
    private final FileStore files;
    private final Map<Long, Chunks.Assembly> fetches = new ConcurrentHashMap<>();
    private final Map<Long, FileTransfers.Receipt> fileFetches = new ConcurrentHashMap<>();
    /**
     * Objects asked for ahead of their producer's end ({@link Message.AwaitKept}): the peer is silent until then, so
     * they fail only when its connection closes (a peer that hangs is the master's to notice: it asks for the waiting
     * task back, and the answer, if it ever comes, is then not used).
     */
    private final Map<Long, Chunks.Assembly> awaits = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<WireConnection>> peers = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param node the node this worker serves, for messages
     * @param client opens connections to peers
     * @param listener receives what comes over those connections (the worker's endpoint)
     * @param master the connection to the master, once made
     * @param files where fetched files are kept
     */
    PeerFetcher(String node, WireClient client, WireListener listener, Supplier<WireConnection> master,
            FileStore files) {
        this.node = node;
        this.client = client;
        this.listener = listener;
        this.master = master;
        this.files = files;
    }

    /** Fetches an object, serialised, from the worker that keeps it. */
    CompletableFuture<byte[]> fetch(String host, int port, long key) {
        return ask(host, port, fetches, request -> new Message.Fetch(request, key, false));
    }

    /**
     * Asks the worker at {@code host:port} for the object an attempt there keeps under {@code key} when it ends; the
     * answer comes then (failed, with an error starting with {@link Message.AwaitKept#NOT_PRODUCED}, if the attempt
     * keeps nothing).
     */
    CompletableFuture<byte[]> awaitKept(String host, int port, long key) {
        return ask(host, port, awaits, request -> new Message.AwaitKept(request, key));
    }

    /** Sends the peer a request for an object, answered in {@link Message.Data} chunks put together in {@code into}. */
    private CompletableFuture<byte[]> ask(String host, int port, Map<Long, Chunks.Assembly> into,
            java.util.function.LongFunction<Message> request) {
        return peer(host, port).thenCompose(c -> {
            long id = requests.incrementAndGet();
            Chunks.Assembly in = new Chunks.Assembly(c);
            into.put(id, in);
            c.send(request.apply(id));
            return in.done;
        });
    }

    /**
     * Fetches a file from the worker (or the master) that keeps it, into this worker's directory, where it is then
     * kept under the same key; tasks that need it meanwhile wait for the one transfer.
     */
    CompletableFuture<Path> fetchFile(DataRef r) {
        try {
            FileStore.checkName(r.target());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Path> known = files.get(r.key());
        if (known != null) {
            return known;
        }
        CompletableFuture<Path> fetched = new CompletableFuture<>();
        files.arriving(r.key(), fetched);
        CompletableFuture<WireConnection> from = r.kind() == DataRef.FILE_MASTER
                ? CompletableFuture.completedFuture(master.get()) : peer(r.host(), r.port());
        from.thenCompose(c -> {
            try {
                FileTransfers.Receipt receipt = FileTransfers.receive(c, files.place(r.key(), r.target()));
                long request = requests.incrementAndGet();
                fileFetches.put(request, receipt);
                c.send(new Message.Fetch(request, r.key(), true));
                return receipt.done;
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new IllegalStateException("worker " + node
                        + " cannot make a file for an input: " + e.getMessage(), e));
            }
        }).whenComplete((path, error) -> {
            if (error != null) {
                // Kept, failed: the master counts this node's copy, so later tasks here fail with this reason.
                fetched.completeExceptionally(error);
            } else {
                fetched.complete(path);
            }
        });
        return fetched;
    }

    private CompletableFuture<WireConnection> peer(String host, int port) {
        String address = host + ":" + port;
        CompletableFuture<WireConnection> connection = peers.computeIfAbsent(address,
                a -> client.connect(new InetSocketAddress(host, port), listener));
        connection.whenComplete((c, error) -> {
            if (error != null) {
                peers.remove(address, connection); // try afresh next time
            }
        });
        return connection;
    }

    /** A chunk of a fetched object. Event loop. */
    void received(Message.Data d) {
        Chunks.deliver(awaits.containsKey(d.request()) ? awaits : fetches, d);
    }

    /** A chunk of a fetched file, written to it at once. Event loop. */
    void received(WireConnection from, Message.FileData d) {
        FileTransfers.deliver(fileFetches, from, d);
    }

    /** A connection other than the master's closed: forget it, and fail what was coming over it. Event loop. */
    void closed(WireConnection connection) {
        peers.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally() && f.join() == connection);
        FileTransfers.expire(fileFetches, connection, Long.MAX_VALUE);
        FileTransfers.expire(fetches, connection, Long.MAX_VALUE);
        FileTransfers.expire(awaits, connection, Long.MAX_VALUE);
    }

    /**
     * Fails the fetches from peers that have sent nothing for longer than {@code limitMillis}: a peer that hangs
     * (rather than dies, which closes its connection) must not hold a task here for ever.
     */
    void expire(long limitMillis) {
        FileTransfers.expire(fileFetches, null, limitMillis);
        FileTransfers.expire(fetches, null, limitMillis);
    }
}
