package io.weft.runtime.worker.remote;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.executor.ExecutorPool;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import io.weft.wire.WireClient;
import io.weft.wire.WireConnection;
import io.weft.wire.WireListener;
import io.weft.wire.transfer.Chunks;
import io.weft.wire.transfer.Descriptors;
import io.weft.wire.transfer.FileTransfers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a worker process does for the run: it runs the tasks the master sends ({@link Message.RunTask}) on its
 * executors, keeps the versions they write that are too large to send back inline in its object store, serves
 * them to peers and to the master ({@link Message.Fetch}), fetches the inputs that other workers hold directly from
 * them, and reports each attempt's end ({@link Message.TaskDone}).
 *
 * <p>Threading: Netty event loops receive messages and answer heartbeats; one intake thread fetches and
 * deserialises each task's inputs and queues it, in arrival order; executor threads run tasks and serialise what
 * they produced; serving threads serialise what peers fetch.
 */
public final class WorkerService implements WireListener {
    /** Written versions up to this size go back to the master in the task's report; larger ones stay here. */
    public static final int INLINE_BYTES = 64 << 10;
    private static final int MAX_ERROR_TEXT = 4000;

    private final String node;
    private final ExecutorPool worker;
    private final Map<Long, Object> store = new ConcurrentHashMap<>();
    private final Map<Long, Chunks.Assembly> puts = new ConcurrentHashMap<>();
    private final Map<Long, Chunks.Assembly> fetches = new ConcurrentHashMap<>();
    /** Files kept here for the run, by key: present once complete; on their way in until then. */
    private final Map<Long, CompletableFuture<Path>> files = new ConcurrentHashMap<>();
    private final Map<Long, FileTransfers.Receipt> fileFetches = new ConcurrentHashMap<>();
    private volatile Path filesDirectory;
    private final Map<Long, Message.RunTask> running = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<WireConnection>> peers = new ConcurrentHashMap<>();
    private final Map<String, Method> methods = new HashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final ExecutorService intake = Executors.newSingleThreadExecutor(daemon("weft-intake"));
    private final ExecutorService serving = Executors.newFixedThreadPool(2, daemon("weft-serve"));
    private final WireClient peerClient;
    private final Runnable onEnd;
    private volatile WireConnection master;
    private final Path spillDirectory;
    private final long storeBudget;
    /** Serialised sizes of the kept versions held in memory, and their sum. */
    private final Map<Long, Integer> inMemory = new ConcurrentHashMap<>();
    private final AtomicLong inMemoryBytes = new AtomicLong();
    private volatile long lastFromMaster = System.nanoTime();

    /** An object that could not be stored: the task that takes it fails with this reason. */
    private record Unusable(String why) {}

    /** A kept version written to the working directory, in its serialised form, because memory was over budget. */
    private record Spilled(Path file) {}

    private volatile boolean refused;

    /** Whether the master refused this worker (it serves no node the run awaits, or a taken one). */
    public boolean refused() {
        return refused;
    }

    /**
     * @param node the node this worker serves
     * @param slots how many tasks run at once
     * @param resources the cores, GPUs and memory it hands out
     * @param peerClient opens connections to the peers whose data tasks need
     * @param onEnd called once the master says the run is over or goes away
     */
    public WorkerService(String node, int slots, WorkerResources resources, WireClient peerClient, Runnable onEnd) {
        this(node, slots, resources, peerClient, onEnd, null, Long.MAX_VALUE);
    }

    /**
     * @param spillDirectory where kept versions go once {@code storeBudget} is reached, or {@code null} to keep
     *     everything in memory
     * @param storeBudget how many serialised bytes of kept versions may stay in memory
     */
    public WorkerService(String node, int slots, WorkerResources resources, WireClient peerClient, Runnable onEnd,
            Path spillDirectory, long storeBudget) {
        this.node = node;
        this.spillDirectory = spillDirectory;
        this.storeBudget = storeBudget;
        this.peerClient = peerClient;
        this.onEnd = onEnd;
        this.worker = ExecutorPool.start(node, slots, resources, this::completed);
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

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
            running.put(t.taskId(), t);
            // Never here: deserialising inputs may run class initialisers of any length, and this thread answers
            // the master's heartbeats.
            intake.execute(() -> prepare(t));
        } else if (message instanceof Message.Fetch f) {
            serving.execute(() -> serve(connection, f));
        } else if (message instanceof Message.Data d) {
            Chunks.deliver(fetches, d);
        } else if (message instanceof Message.FileData d) {
            FileTransfers.deliver(fileFetches, connection, d);
        } else if (message instanceof Message.Put p) {
            Chunks.Assembly in = puts.computeIfAbsent(p.key(), k -> new Chunks.Assembly(connection));
            byte[] whole = in.add(p.chunk(), p.last());
            if (whole != null) {
                puts.remove(p.key());
                // On the intake thread, so it is stored before the task sent after it is prepared.
                intake.execute(() -> store.put(p.key(), deserializeOrUnusable(whole)));
            }
        } else if (message instanceof Message.Forget f) {
            for (long key : f.keys()) {
                drop(key);
            }
        } else if (message instanceof Message.Shutdown s) {
            if (s.reason().startsWith("refused")) {
                refused = true;
                System.err.println("weft worker " + node + ": the master " + s.reason());
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
        peers.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally() && f.join() == connection);
        FileTransfers.expire(fileFetches, connection, Long.MAX_VALUE);
        FileTransfers.expire(fetches, connection, Long.MAX_VALUE);
    }

    @Override
    public void rejected(java.net.SocketAddress peer, String reason) {
        System.err.println("weft worker " + node + ": dropped the connection from " + peer + ": " + reason);
    }

    private void end() {
        worker.shutdown();
        onEnd.run();
    }

    // ---------------------------------------------------------------- running tasks

    /**
     * Fetches the inputs other processes hold (objects from their workers; files from their workers or the master),
     * then starts the task. Intake thread.
     */
    private void prepare(Message.RunTask t) {
        DataRef[] refs = t.bindings();
        Map<Integer, CompletableFuture<?>> remote = null;
        for (int i = 0; i < refs.length; i++) {
            DataRef r = refs[i];
            CompletableFuture<?> input = switch (r.kind()) {
                case DataRef.REMOTE -> fetch(r.host(), r.port(), r.key());
                case DataRef.FILE_KEPT -> {
                    CompletableFuture<Path> kept = files.get(r.key());
                    yield kept != null ? kept : CompletableFuture.failedFuture(new IllegalStateException(
                            "worker " + node + " keeps no file under key " + r.key()));
                }
                case DataRef.FILE_REMOTE, DataRef.FILE_MASTER -> fetchFile(r);
                default -> null;
            };
            if (input != null) {
                if (remote == null) {
                    remote = new HashMap<>();
                }
                remote.put(i, input);
            }
        }
        if (remote == null) {
            start(t, Map.of());
            return;
        }
        Map<Integer, CompletableFuture<?>> waiting = remote;
        CompletableFuture.allOf(waiting.values().toArray(CompletableFuture[]::new)).whenComplete((ok, error) ->
                intake.execute(() -> {
                    if (error != null) {
                        Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause()
                                : error;
                        failed(t, new IllegalStateException("cannot fetch an input of " + t.className() + "."
                                + t.methodName() + " from the process that holds it: " + cause.getMessage(), cause));
                        return;
                    }
                    Map<Integer, Object> fetched = new HashMap<>();
                    waiting.forEach((i, f) -> fetched.put(i, f.join()));
                    start(t, fetched);
                }));
    }

    /** Materialises the task's inputs and queues it on the executors. Intake thread. */
    private void start(Message.RunTask t, Map<Integer, Object> fetched) {
        try {
            Method method = method(t);
            Object[] arguments = t.arguments() == null ? new Object[t.argumentBinding().length]
                    : (Object[]) PayloadCodec.deserialize(t.arguments());
            DataRef[] refs = t.bindings();
            Binding[] bindings = new Binding[refs.length];
            for (int i = 0; i < refs.length; i++) {
                DataRef r = refs[i];
                bindings[i] = switch (r.kind()) {
                    case DataRef.NONE -> null;
                    case DataRef.INLINE -> Binding.object(PayloadCodec.deserialize(r.bytes()), false, r.written());
                    case DataRef.STORED -> {
                        Object kept = store.get(r.key());
                        // One read back from disk is already a private copy.
                        yield Binding.object(stored(kept, r.key()), r.copy() && !(kept instanceof Spilled),
                                r.written());
                    }
                    case DataRef.TAKEN -> Binding.object(stored(store.remove(r.key()), r.key()), false, r.written());
                    case DataRef.REMOTE -> Binding.object(PayloadCodec.deserialize((byte[]) fetched.get(i)), false,
                            r.written());
                    case DataRef.FILE -> Binding.file(r.source(), r.target(), r.copy());
                    default -> stagedFile(r, (Path) fetched.get(i));
                };
            }
            worker.execute(new TaskExecution(t.taskId(), t.className() + "." + t.methodName(), method, arguments,
                    t.argumentBinding(), t.receiverBinding(), bindings, t.attempt(), t.executorHint(),
                    new ResourceDemand(t.cores(), t.gpus(), t.gpuMemoryBytes(), t.memoryBytes(),
                            t.gpuName() == null ? "" : t.gpuName())));
        } catch (RuntimeException | ReflectiveOperationException | LinkageError | IOException e) {
            for (DataRef r : t.bindings()) {
                if (r.kind() == DataRef.TAKEN) {
                    store.remove(r.key()); // put for this attempt only
                }
            }
            failed(t, e);
        }
    }

    /**
     * A file kept in this worker's directory: read where it is; written in place, or into a copy (or a new file)
     * of its own under the output key, named as the program named it.
     */
    private Binding stagedFile(DataRef r, Path input) throws IOException {
        checkName(r.target());
        if (r.kind() != DataRef.FILE_NEW && (!r.written() || !r.copy())) {
            return Binding.file(input.toString(), input.toString(), false); // read, or updated in place
        }
        // A new file (or "no file", for a task that only reads one that does not exist), or a private copy.
        Path output = filesDirectory().resolve(Long.toString(r.outputKey())).resolve(r.target());
        if (r.written()) {
            Files.createDirectories(output.getParent());
        }
        return Binding.file(input == null ? null : input.toString(), output.toString(), input != null);
    }

    /** A kept file's name is a bare name: nothing the master sends may reach outside this worker's directory. */
    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
    }

    /** Where kept files go: a {@code files} directory in the run's working directory (made on first use). */
    private Path filesDirectory() throws IOException {
        Path dir = filesDirectory;
        if (dir == null) {
            synchronized (this) {
                dir = filesDirectory;
                if (dir == null) {
                    dir = spillDirectory != null ? Files.createDirectories(spillDirectory.resolve("files"))
                            : Files.createTempDirectory("weft-files-");
                    filesDirectory = dir;
                }
            }
        }
        return dir;
    }

    private Object stored(Object value, long key) {
        if (value == null) {
            throw new IllegalStateException("worker " + node + " holds no object under key " + key);
        }
        if (value instanceof Unusable u) {
            throw new IllegalStateException(u.why());
        }
        if (value instanceof Spilled s) {
            try {
                return PayloadCodec.deserialize(Files.readAllBytes(s.file())); // a fresh copy, read back from disk
            } catch (IOException e) {
                throw new UncheckedIOException("worker " + node + " cannot read back " + s.file(), e);
            }
        }
        return value;
    }

    /**
     * Keeps a version a task made: in memory while the kept versions' serialised sizes stay within the budget,
     * else written to the working directory (it is already serialised, so that costs one write).
     */
    private void keep(long key, Object value, byte[] bytes) {
        if (spillDirectory != null && inMemoryBytes.get() + bytes.length > storeBudget) {
            Path file = spillDirectory.resolve("object-" + key + ".fory");
            try {
                Files.write(file, bytes);
                store.put(key, new Spilled(file));
                return;
            } catch (IOException e) {
                // A full disk: keep it in memory, over budget, rather than lose it.
            }
        }
        store.put(key, value);
        inMemory.put(key, bytes.length);
        inMemoryBytes.addAndGet(bytes.length);
    }

    /** Drops a kept version: the master says no one needs it any more. */
    private void drop(long key) {
        CompletableFuture<Path> file = files.remove(key);
        if (file != null) {
            file.thenAccept(FileTransfers::delete);
            return;
        }
        Object value = store.remove(key);
        Integer size = inMemory.remove(key);
        if (size != null) {
            inMemoryBytes.addAndGet(-size);
        }
        if (value instanceof Spilled s) {
            try {
                Files.deleteIfExists(s.file());
            } catch (IOException e) {
                // The per-run directory is removed at the end anyway.
            }
        }
    }

    /** Kept versions: in memory (serialised bytes) and on disk (count); for tests and monitoring. */
    public String storeSummary() {
        long spilled = store.values().stream().filter(v -> v instanceof Spilled).count();
        return inMemory.size() + " in memory (" + inMemoryBytes.get() + " bytes), " + spilled + " spilled";
    }

    private static Object deserializeOrUnusable(byte[] bytes) {
        try {
            return PayloadCodec.deserialize(bytes);
        } catch (RuntimeException e) {
            return new Unusable(e.getMessage());
        }
    }

    private Method method(Message.RunTask t) throws ClassNotFoundException, NoSuchMethodException {
        String id = t.className() + "." + t.methodName() + t.descriptor();
        Method m = methods.get(id);
        if (m == null) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> owner = Class.forName(t.className(), false, loader == null ? getClass().getClassLoader() : loader);
            for (Method candidate : owner.getDeclaredMethods()) {
                if (candidate.getName().equals(t.methodName()) && Descriptors.of(candidate).equals(t.descriptor())) {
                    m = candidate;
                }
            }
            if (m == null) {
                throw new NoSuchMethodException("worker " + node + " finds no method " + id
                        + " (is its class path the same as the master's?)");
            }
            m.setAccessible(true);
            methods.put(id, m);
        }
        return m;
    }

    /** The attempt could not start: report it as the task's failure. */
    private void failed(Message.RunTask t, Throwable error) {
        running.remove(t.taskId());
        Produced[] used = new Produced[t.bindings().length];
        Arrays.fill(used, Produced.none());
        send(new Message.TaskDone(t.taskId(), t.attempt(), -1, 0, new int[0], new int[0], Produced.none(), used,
                errorBytes(error), errorText(error)));
    }

    /** An attempt ended: report what it produced. Executor threads. */
    private void completed(TaskOutcome outcome) {
        Message.RunTask t = running.remove(outcome.taskId());
        if (t == null) {
            return;
        }
        DataRef[] refs = t.bindings();
        Produced[] used = new Produced[refs.length];
        Throwable error = outcome.error();
        Produced result = Produced.none();
        long[] inline = {0};
        try {
            for (int i = 0; i < refs.length; i++) {
                Object u = outcome.used() == null ? null : outcome.used()[i];
                DataRef r = refs[i];
                if (r.staged()) {
                    used[i] = r.written() && u != null ? keptFile(r, Path.of((String) u)) : Produced.none();
                } else {
                    used[i] = r.kind() != DataRef.NONE && r.kind() != DataRef.FILE && r.written() && u != null
                            ? produced(u, r.outputKey(), inline) : Produced.none();
                }
            }
            if (error == null && outcome.result() != null) {
                result = produced(outcome.result(), t.resultKey(), inline);
            }
        } catch (RuntimeException e) {
            error = error != null ? error : e;
            Arrays.fill(used, Produced.none());
            result = Produced.none();
        }
        send(new Message.TaskDone(t.taskId(), t.attempt(), outcome.executor(),
                outcome.endNanos() - outcome.startNanos(), outcome.cores(), outcome.gpus(), result, used,
                error == null ? new byte[0] : errorBytes(error), error == null ? "" : errorText(error)));
    }

    /** A report carries at most this many serialised bytes of produced versions; the rest stay here. */
    private static final int MAX_REPORT_INLINE = 8 << 20;

    /** Keeps the file a task wrote under its output key; one updated in place is no longer the input's. */
    private Produced keptFile(DataRef r, Path written) {
        if (r.kind() != DataRef.FILE_NEW && !r.copy()) {
            files.remove(r.key());
        }
        files.put(r.outputKey(), CompletableFuture.completedFuture(written));
        long size;
        try {
            size = Files.size(written);
        } catch (IOException e) {
            size = -1; // the task left no file: that is the version
        }
        return new Produced(Produced.FILE, null, r.outputKey(), size, null);
    }

    private Produced produced(Object value, long key, long[] inline) {
        byte[] bytes = PayloadCodec.serialize(value);
        if (bytes.length <= INLINE_BYTES && inline[0] + bytes.length <= MAX_REPORT_INLINE) {
            inline[0] += bytes.length;
            return new Produced(Produced.INLINE, bytes, 0, bytes.length, null);
        }
        keep(key, value, bytes);
        return new Produced(Produced.STORED, null, key, bytes.length, value.getClass().getName());
    }

    private static byte[] errorBytes(Throwable error) {
        try {
            byte[] bytes = PayloadCodec.serialize(error);
            return bytes.length <= MAX_REPORT_INLINE ? bytes : new byte[0]; // else the text says what it was
        } catch (RuntimeException e) {
            return new byte[0];
        }
    }

    /** Cuts a message to what a record string may hold. */
    private static String shorten(String text) {
        return text == null || text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }

    private static String errorText(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        String text = w.toString();
        return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "…" : text;
    }

    private void send(Message m) {
        WireConnection c = master;
        if (c != null) {
            c.send(m);
        }
    }

    // ---------------------------------------------------------------- moving data

    /** Sends the object or file kept under a key, in chunks. Serving threads. */
    private void serve(WireConnection to, Message.Fetch f) {
        if (f.file()) {
            CompletableFuture<Path> file = files.get(f.key());
            if (file == null) {
                FileTransfers.refuse(to, f.request(), "worker " + node + " keeps no file under key " + f.key());
                return;
            }
            file.whenComplete((path, error) -> {
                if (error != null) {
                    FileTransfers.refuse(to, f.request(), shorten("worker " + node
                            + " could not get the file itself: " + error.getMessage()));
                } else {
                    to.sendFile(f.request(), path);
                }
            });
            return;
        }
        Object value = store.get(f.key());
        if (value instanceof Spilled s) {
            try {
                sendChunks(to, f.request(), Files.readAllBytes(s.file())); // already serialised
            } catch (IOException e) {
                to.send(new Message.Data(f.request(), true, null, shorten("worker " + node + " cannot read back "
                        + s.file() + ": " + e.getMessage())));
            }
            return;
        }
        if (value == null || value instanceof Unusable) {
            to.send(new Message.Data(f.request(), true, null, shorten("worker " + node
                    + " holds no object under key " + f.key() + (value == null ? "" : ": " + ((Unusable) value).why()))));
            return;
        }
        byte[] bytes;
        try {
            bytes = PayloadCodec.serialize(value);
        } catch (RuntimeException e) {
            to.send(new Message.Data(f.request(), true, null, shorten(String.valueOf(e.getMessage()))));
            return;
        }
        sendChunks(to, f.request(), bytes);
    }

    /** Sends serialised bytes as {@link Message.Data} chunks. */
    private static void sendChunks(WireConnection to, long request, byte[] bytes) {
        Chunks.split(bytes, (chunk, last) -> to.send(new Message.Data(request, last, chunk, null)));
    }

    /**
     * Fails the fetches from peers that have sent nothing for longer than {@code limitMillis}: a peer that hangs
     * (rather than dies, which closes its connection) must not hold a task here for ever.
     */
    public void expireFetches(long limitMillis) {
        FileTransfers.expire(fileFetches, null, limitMillis);
        FileTransfers.expire(fetches, null, limitMillis);
    }

    /**
     * Fetches a file from the worker (or the master) that keeps it, into this worker's directory, where it is then
     * kept under the same key; tasks that need it meanwhile wait for the one transfer.
     */
    private CompletableFuture<Path> fetchFile(DataRef r) {
        try {
            checkName(r.target());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Path> known = files.get(r.key());
        if (known != null) {
            return known;
        }
        CompletableFuture<Path> fetched = new CompletableFuture<>();
        files.put(r.key(), fetched);
        CompletableFuture<WireConnection> from = r.kind() == DataRef.FILE_MASTER
                ? CompletableFuture.completedFuture(master) : peer(r.host(), r.port());
        from.thenCompose(c -> {
            try {
                Path into = filesDirectory().resolve(Long.toString(r.key())).resolve(r.target());
                FileTransfers.Receipt receipt = FileTransfers.receive(c, into);
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
                a -> peerClient.connect(new InetSocketAddress(host, port), this));
        connection.whenComplete((c, error) -> {
            if (error != null) {
                peers.remove(address, connection); // try afresh next time
            }
        });
        return connection;
    }

    /** Fetches an object from the worker that keeps it. */
    private CompletableFuture<byte[]> fetch(String host, int port, long key) {
        return peer(host, port).thenCompose(c -> {
            long request = requests.incrementAndGet();
            Chunks.Assembly in = new Chunks.Assembly(c);
            fetches.put(request, in);
            c.send(new Message.Fetch(request, key, false));
            return in.done;
        });
    }
}
