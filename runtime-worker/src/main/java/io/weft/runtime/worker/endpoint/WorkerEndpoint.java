package io.weft.runtime.worker.endpoint;

import io.weft.log.Log;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.executor.ExecutorPool;
import io.weft.runtime.worker.executor.UndeclaredWriteCheck;
import io.weft.wire.Message;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a worker process does for the run, as the master and its peers reach it: it runs the tasks the master sends
 * ({@link Message.RunTask}) on its executor pool ({@link TaskIntake}), keeps the versions they write that are too
 * large to send back inline ({@link ObjectStore}, {@link FileStore}), serves them to peers and to the master
 * ({@link Message.Fetch}), fetches the inputs that other workers hold directly from them ({@link PeerFetcher}),
 * and reports each attempt's end ({@link TaskReports}). This class dispatches the messages and keeps in touch with
 * the master; its parts do the rest.
 *
 * <p>Threading: Netty event loops receive messages and answer heartbeats; the intake fetches and deserialises each
 * task's inputs and queues it, in arrival order, one job at a time on an idle executor or else the intake thread
 * ({@link IntakeTurn}); executor threads run tasks and serialise what they produced; serving threads serialise what
 * peers fetch.
 *
 * <p>Lifecycle: made with its executor pool running; {@link #master} then gives it the master's connection. The
 * run ends for it (its executors stop and {@code onEnd} runs) when the master says {@link Message.Shutdown} or its
 * connection closes.
 */
public final class WorkerEndpoint implements WireListener {
    private static final Log LOG = Log.of(WorkerEndpoint.class);
    private final String node;
    private final io.weft.wire.RejectionLog rejections;
    private final Runnable onEnd;
    private final ExecutorPool pool;
    private final ObjectStore objects;
    private final FileStore files;
    private final PeerFetcher fetcher;
    private final TaskIntake intake;
    private final TaskReports reports;
    private final ExecutorService serving = Executors.newFixedThreadPool(2, daemon("weft-serve"));
    private volatile WireConnection master;
    private volatile long lastFromMaster = System.nanoTime();
    private volatile boolean refused;

    /**
     * @param node the node this worker serves
     * @param slots how many tasks run at once
     * @param resources the cores, GPUs and memory it hands out
     * @param peerClient opens connections to the peers whose data tasks need
     * @param onEnd called once the master says the run is over or goes away
     */
    public WorkerEndpoint(String node, int slots, WorkerResources resources, WireClient peerClient, Runnable onEnd) {
        this(node, slots, resources, peerClient, onEnd, null, Long.MAX_VALUE);
    }

    /**
     * @param spillDirectory where kept versions go once {@code storeBudget} is reached, or {@code null} to keep
     *     everything in memory
     * @param storeBudget how many serialised bytes of kept versions may stay in memory
     */
    public WorkerEndpoint(String node, int slots, WorkerResources resources, WireClient peerClient, Runnable onEnd,
            Path spillDirectory, long storeBudget) {
        this.node = node;
        this.rejections = new io.weft.wire.RejectionLog("weft worker " + node + ": ");
        this.onEnd = onEnd;
        this.objects = new ObjectStore(node, spillDirectory, storeBudget);
        this.files = new FileStore(node, spillDirectory);
        this.fetcher = new PeerFetcher(node, peerClient, this, () -> master, files);
        this.reports = new TaskReports(objects, files, this::send);
        this.pool = ExecutorPool.start(node, slots, resources, reports::completed,
                UndeclaredWriteCheck.inWorkingFolder(spillDirectory));
        IntakeTurn turn = new IntakeTurn(node, pool::runOnIdleExecutor,
                Executors.newSingleThreadExecutor(daemon("weft-intake")));
        this.intake = new TaskIntake(node, turn, pool, objects, files, fetcher, reports, serving);
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, …: they never hold the process's exit. */
    private static ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The connection to the master, once made. */
    public void master(WireConnection connection) {
        this.master = connection;
        lastFromMaster = System.nanoTime();
        if (!connection.isOpen()) {
            end(); // it closed before we knew it was the master's
        }
    }

    /** How long since the master last sent anything (it pings at least every few seconds). */
    public long masterSilentMillis() {
        return (System.nanoTime() - lastFromMaster) / 1_000_000;
    }

    /** Whether the master refused this worker (it serves no node the run awaits, or a taken one). */
    public boolean refused() {
        return refused;
    }

    /**
     * Fails the fetches from peers that have sent nothing for longer than {@code limitMillis}: a peer that hangs
     * (rather than dies, which closes its connection) must not hold a task here for ever.
     */
    public void expireFetches(long limitMillis) {
        fetcher.expire(limitMillis);
    }

    /** Kept versions: in memory (serialised bytes) and on disk (count); for tests and monitoring. */
    String storeSummary() {
        return objects.summary();
    }

    // ---------------------------------------------------------------- messages (event loops)

    @Override
    public void received(WireConnection connection, Message message) {
        if (connection == master) {
            lastFromMaster = System.nanoTime();
        }
        if (message instanceof Message.Ping p) {
            connection.send(new Message.Pong(p.sequence(), p.sentNanos()));
        } else if (message instanceof Message.RunTask t) {
            intake.received(t);
        } else if (message instanceof Message.Fetch f) {
            serving.execute(() -> {
                if (f.file()) {
                    files.serve(connection, f.request(), f.key());
                } else {
                    objects.serve(connection, f.request(), f.key());
                }
            });
        } else if (message instanceof Message.AwaitKept a) {
            intake.awaitKept(connection, a);
        } else if (message instanceof Message.Data d) {
            fetcher.received(d);
        } else if (message instanceof Message.FileData d) {
            fetcher.received(connection, d);
        } else if (message instanceof Message.Put p) {
            intake.received(connection, p);
        } else if (message instanceof Message.Withdraw w) {
            // At once, on the event loop: taking an attempt out of a queue is quick, and the executors must not
            // start what the master is about to send elsewhere.
            long[] withdrawn = java.util.Arrays.stream(w.taskIds()).filter(intake::withdraw).toArray();
            connection.send(new Message.Withdrawn(w.request(), withdrawn));
        } else if (message instanceof Message.Cancel c) {
            // On the event loop too: interrupting a thread and signalling processes does not wait. Each attempt
            // found ends with a CancellationException, reported as any end; one still being prepared is reported cancelled instead of queued.
            for (long id : c.taskIds()) {
                intake.cancel(id);
            }
        } else if (message instanceof Message.Forget f) {
            for (long key : f.keys()) {
                if (!files.drop(key)) {
                    objects.drop(key);
                }
            }
            intake.forgotten(f.keys());
        } else if (message instanceof Message.Shutdown s) {
            if (s.reason().startsWith("refused")) {
                refused = true;
                LOG.warn("weft worker " + node + ": the master " + s.reason());
            }
            end();
        }
    }

    @Override
    public void closed(WireConnection connection) {
        if (connection == master) {
            end(); // the master went away: nothing left to serve
            return;
        }
        fetcher.closed(connection);
    }

    @Override
    public void rejected(SocketAddress peer, String reason) {
        rejections.dropped(peer, reason, System.nanoTime()).forEach(LOG::warn);
    }

    private void end() {
        pool.shutdown();
        onEnd.run();
    }

    private void send(Message m) {
        WireConnection c = master;
        if (c != null) {
            c.send(m);
        }
    }
}
