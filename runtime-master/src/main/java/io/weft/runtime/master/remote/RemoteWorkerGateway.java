package io.weft.runtime.master.remote;

import io.weft.runtime.master.gateway.CopiedValue;
import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.FileOffers;
import io.weft.runtime.master.gateway.KeptAhead;
import io.weft.runtime.master.gateway.RemoteFile;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.SentCopy;
import io.weft.runtime.master.gateway.StagedFile;
import io.weft.runtime.master.gateway.VersionBytes;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.gateway.WorkerLostException;
import io.weft.runtime.master.task.Placeholders;
import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.objects.ObjectStates;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import io.weft.wire.WireConnection;
import io.weft.wire.transfer.Chunks;
import io.weft.wire.transfer.Descriptors;
import io.weft.wire.transfer.FileTransfers;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The master's gateway to a worker process: turns each attempt into a {@link Message.RunTask} that says where every
 * input is (sent inline, already in that worker's store, or to be fetched from the worker that keeps it), and each
 * {@link Message.TaskDone} back into a {@link TaskOutcome} whose written versions are {@link Encoded} (as the worker
 * sent them, decoded only when the program needs them) or {@link RemoteValue}s (kept by the worker).
 *
 * <p>Threading: {@link #execute} and {@link #forget} on the analyser thread, which never serialises: an attempt
 * with payloads to encode (a plain argument, an object of the program's) is built and sent on the codec thread, one
 * without — whose inputs are kept by workers or arrived encoded — on the caller's. {@link #received} runs on the
 * connection's event loop, which never deserialises: a task's exception is decoded on the codec thread, and so are
 * fetched objects. Futures complete on the event loop or the codec thread.
 */
public final class RemoteWorkerGateway implements WorkerGateway {
    /** Objects the master holds up to this size go inside the task message; larger ones are put first, in chunks. */
    static final int INLINE_BYTES = 1 << 20;

    /** A task message carries at most this many serialised bytes; larger inputs are put ahead of it in chunks. */
    static final int MAX_MESSAGE_INLINE = 8 << 20;

    private final int index;
    private final String name;
    private final WireConnection connection;
    private final PeerDirectory peers;
    private final AtomicLong keys;
    private final FileOffers offers;
    private final Executor codec;
    private final Map<Long, Attempt> running = new ConcurrentHashMap<>();
    private final Map<Long, Chunks.Assembly> fetches = new ConcurrentHashMap<>();
    private final Map<Long, FileTransfers.Receipt> fileFetches = new ConcurrentHashMap<>();
    private final Map<Long, Withdrawal> withdrawals = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    /**
     * Attempts handed to the codec thread and not sent yet. While there are any, later attempts queue behind them,
     * so that this worker gets its messages in the order the tasks were dispatched (a reader of a copy after the
     * message that puts it there).
     */
    private final AtomicInteger onCodec = new AtomicInteger();
    /** Method descriptors, worked out once per method rather than once per attempt. */
    private final Map<Method, String> descriptors = new ConcurrentHashMap<>();
    private volatile String lost;

    /** An attempt sent and not yet reported. */
    private record Attempt(TaskExecution execution, CompletableFuture<TaskOutcome> outcome) {}

    /**
     * A withdrawal not yet answered, with the attempts it asked for as they were when it went: the answer names
     * tasks, and only those attempts are given back by it (a later attempt at one of those tasks, sent after the
     * request, is not: the worker read the request first).
     */
    private record Withdrawal(CompletableFuture<Void> answered, Map<Long, Attempt> asked) {}

    /** Told that a task called {@code System.exit} on a worker, which ends right after. */
    @FunctionalInterface
    public interface ExitListener {
        /**
         * @param task the task's name and id, as messages name it
         * @param node the worker's node
         * @param status the status it passed
         */
        void taskExited(String task, String node, int status);
    }

    private final ExitListener onExit;

    /**
     * @param index the node's index in the run
     * @param peers where every worker of the run serves its data, to say where an input is
     * @param keys the run's source of store keys
     * @param offers the master's files a worker may fetch
     * @param codec the thread payloads are encoded and decoded on (one thread keeps a worker's messages in order)
     * @param onExit told when a task calls {@code System.exit} there
     */
    public RemoteWorkerGateway(int index, String name, WireConnection connection, PeerDirectory peers,
            AtomicLong keys, FileOffers offers, Executor codec, ExitListener onExit) {
        this.onExit = onExit;
        this.index = index;
        this.name = name;
        this.connection = connection;
        this.peers = peers;
        this.keys = keys;
        this.offers = offers;
        this.codec = codec;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Sends an attempt. An argument that cannot be serialised fails that attempt (reported like any task failure),
     * not the run.
     */
    @Override
    public CompletableFuture<TaskOutcome> execute(TaskExecution e) {
        return execute(e, null);
    }

    @Override
    public boolean takesTasksAhead() {
        return true;
    }

    @Override
    public void droppedAhead(long taskId) {
        running.remove(taskId);
    }

    @Override
    public CompletableFuture<TaskOutcome> execute(TaskExecution e, long[] keep) {
        CompletableFuture<TaskOutcome> outcome = new CompletableFuture<>();
        String why = lost;
        if (why != null) {
            outcome.completeExceptionally(lostError(why));
            return outcome;
        }
        running.put(e.taskId(), new Attempt(e, outcome));
        if (needsEncoding(e) || onCodec.get() > 0) {
            onCodec.incrementAndGet();
            codec.execute(() -> {
                try {
                    send(e, keep, outcome);
                } finally {
                    onCodec.decrementAndGet();
                }
            });
        } else {
            send(e, keep, outcome);
        }
        return outcome;
    }

    /** Whether sending the attempt serialises something: a plain argument, or an object the master holds. */
    private static boolean needsEncoding(TaskExecution e) {
        if (e.encodedArguments() == null) {
            for (int i = 0; i < e.arguments().length; i++) {
                if (e.argumentBinding()[i] < 0 && e.arguments()[i] != null) {
                    return true;
                }
            }
        }
        for (Binding b : e.bindings()) {
            if (b != null && b.kind() == Binding.Kind.OBJECT && !(b.source() instanceof RemoteValue)
                    && !(b.source() instanceof Encoded) && !(b.source() instanceof CopiedValue)
                    && !(b.source() instanceof KeptAhead)
                    && !(b.source() instanceof SentCopy c && c.value() instanceof Encoded)) {
                return true;
            }
        }
        return false;
    }

    private void send(TaskExecution e, long[] keep, CompletableFuture<TaskOutcome> outcome) {
        List<Long> put = new ArrayList<>();
        try {
            Binding[] bindings = e.bindings();
            DataRef[] refs = new DataRef[bindings.length];
            long[] inline = {0};
            int kept = 0;
            long resultKey = 0;
            for (int i = 0; i < bindings.length; i++) {
                long keepAs = keep == null ? 0 : keep[i];
                refs[i] = reference(bindings[i], inline, put, keepAs);
                kept += keepAs != 0 ? 1 : 0;
                if (bindings[i] == null && keepAs != 0) {
                    resultKey = keepAs; // the result's slot has no binding
                }
            }
            long[] keptKeys = new long[kept];
            for (int i = 0, k = 0; keep != null && i < keep.length; i++) {
                if (keep[i] != 0) {
                    keptKeys[k++] = keep[i];
                }
            }
            byte[] arguments = e.encodedArguments() != null ? e.encodedArguments()
                    : encodePlainArguments(e.arguments(), e.argumentBinding());
            if (arguments != null && arguments.length > MAX_MESSAGE_INLINE) {
                throw new IllegalArgumentException("its plain arguments (strings, numbers…) take " + arguments.length
                        + " bytes serialised, more than the " + MAX_MESSAGE_INLINE + " a task message may carry;"
                        + " pass large values inside an object parameter");
            }
            var d = e.demand();
            String descriptor = descriptors.computeIfAbsent(e.method(), Descriptors::of);
            connection.send(new Message.RunTask(e.taskId(), e.attempt(), e.method().getDeclaringClass().getName(),
                    e.method().getName(), descriptor, e.executorHint(), d.cores(), d.gpus(), d.gpuMemoryBytes(),
                    d.memoryBytes(), d.gpuName().isEmpty() ? null : d.gpuName(), e.receiverBinding(),
                    e.argumentBinding(), arguments, refs, resultKey != 0 ? resultKey : keys.incrementAndGet(), e.check(),
                    e.timeoutNanos(),
                    e.restoreOnFailure(), keptKeys));
        } catch (RuntimeException | Error failure) { // an OutOfMemoryError serialising a large input, say
            running.remove(e.taskId());
            if (!put.isEmpty()) {
                forget(put.stream().mapToLong(Long::longValue).toArray());
            }
            outcome.complete(TaskOutcome.notRun(e, failure, name));
        }
    }

    /**
     * The plain-value arguments of a call (strings, numbers…: those bound to no datum) as one serialised
     * {@code Object[]} with {@code null} elsewhere, or {@code null} if there are none.
     */
    public static byte[] encodePlainArguments(Object[] arguments, int[] argumentBinding) {
        Object[] plain = null;
        for (int i = 0; i < arguments.length; i++) {
            if (argumentBinding[i] < 0 && arguments[i] != null) {
                if (plain == null) {
                    plain = new Object[arguments.length];
                }
                plain[i] = arguments[i];
            }
        }
        return plain == null ? null : PayloadCodec.serialize(plain);
    }

    /**
     * Where the worker finds one datum.
     *
     * @param inline serialised bytes already in the message, updated
     * @param put keys of objects put ahead of the message, added to
     * @param keepAs for an object the task writes, the key to keep it under even if it goes back inline, or 0
     */
    private DataRef reference(Binding b, long[] inline, List<Long> put, long keepAs) {
        if (b == null) {
            return DataRef.none();
        }
        if (b.source() instanceof StagedFile s) {
            PeerDirectory.Peer holder = s.kind() == StagedFile.Source.PEER ? peers.of(s.holder()) : null;
            return DataRef.staged(fileKind(s.kind()), s.key(), holder == null ? null : holder.host(),
                    holder == null ? 0 : holder.dataPort(), s.name(), b.copy(), s.written(), s.outputKey());
        }
        if (b.kind() == Binding.Kind.FILE) {
            return DataRef.file((String) b.source(), b.target(), b.copy(), b.written());
        }
        if (b.source() instanceof CopiedValue c) {
            // Fetched from its holder for a reader, and kept here as a copy under the output key.
            PeerDirectory.Peer holder = peers.of(c.from().node());
            return DataRef.remote(c.from().key(), holder.host(), holder.dataPort(), false, false, c.keepAs());
        }
        if (b.source() instanceof SentCopy c) {
            // Put ahead of the message under the copy's key, where it stays for later readers here.
            byte[] bytes = encode(c.value());
            if (c.serialised() != null) {
                c.serialised().keep(bytes); // lineage may run a reader again after the program changed its object
            }
            Chunks.split(bytes, (chunk, last) -> connection.send(new Message.Put(c.keepAs(), last, chunk)));
            return DataRef.stored(DataRef.STORED, c.keepAs(), false, false, 0);
        }
        long output = !b.written() ? 0 : keepAs != 0 ? keepAs : keys.incrementAndGet();
        if (b.source() instanceof KeptAhead a) {
            if (a.node() == index) {
                return DataRef.ahead(a.key(), b.copy(), b.written(), output);
            }
            PeerDirectory.Peer holder = peers.of(a.node()); // this worker asks it, and it answers at that end
            return DataRef.aheadOn(a.key(), holder.host(), holder.dataPort(), b.written(), output);
        }
        if (b.source() instanceof RemoteValue r) {
            if (r.node() == index) {
                return DataRef.stored(DataRef.STORED, r.key(), b.copy(), b.written(), output);
            }
            PeerDirectory.Peer holder = peers.of(r.node());
            return DataRef.remote(r.key(), holder.host(), holder.dataPort(), b.copy(), b.written(), output);
        }
        byte[] bytes = encode(b.source());
        if (bytes.length <= INLINE_BYTES && inline[0] + bytes.length <= MAX_MESSAGE_INLINE) {
            inline[0] += bytes.length;
            return DataRef.inline(bytes, b.copy(), b.written(), output);
        }
        long key = keys.incrementAndGet();
        put.add(key);
        Chunks.split(bytes, (chunk, last) -> connection.send(new Message.Put(key, last, chunk)));
        return DataRef.stored(DataRef.TAKEN, key, false, b.written(), output);
    }

    /** A value the master holds, serialised: as a worker sent it, or encoded now into a buffer of its size. */
    private static byte[] encode(Object value) {
        if (value instanceof Encoded e) {
            return e.bytes();
        }
        // An interface placeholder crosses as the object it stands for, not as a proxy of a proxy.
        Object object = Placeholders.unwrap(value);
        return PayloadCodec.serialize(object, Math.max(0, ObjectStates.estimatedSize(object, Integer.MAX_VALUE)));
    }

    private static int fileKind(StagedFile.Source source) {
        return switch (source) {
            case NONE -> DataRef.FILE_NEW;
            case KEPT -> DataRef.FILE_KEPT;
            case PEER -> DataRef.FILE_REMOTE;
            case MASTER -> DataRef.FILE_MASTER;
        };
    }

    /**
     * On the event loop that reads this worker's reports: it may handle a report's end in the analyser itself, and
     * what that releases for this worker is written by the same loop, with no thread woken (see
     * {@link WireConnection#send}).
     */
    @Override
    public ReportHandling reportHandling() {
        return connection.inEventLoop() ? ReportHandling.HANDLE_IF_ANALYSER_PARKED : ReportHandling.POST;
    }

    /** A message from this worker. Event loop: nothing here deserialises. */
    public void received(Message m) {
        if (m instanceof Message.TaskDone d) {
            Attempt a = running.get(d.taskId());
            // Only the report of the attempt sent last: one of an earlier attempt at the task is stale.
            if (a != null && a.execution().attempt() == d.attempt() && running.remove(d.taskId(), a)) {
                if (carriesPayload(d)) {
                    codec.execute(() -> {
                        try {
                            a.outcome().complete(outcome(d, a.execution()));
                        } catch (Throwable t) { // never leave the attempt without an outcome
                            io.weft.wire.OutOfMemory.check(t); // this process's memory, not the task's: the run stops
                            a.outcome().complete(TaskOutcome.notRun(a.execution(), t, name));
                        }
                    });
                } else {
                    a.outcome().complete(outcome(d, a.execution()));
                }
            }
        } else if (m instanceof Message.TaskExit x) {
            Attempt a = running.get(x.taskId());
            onExit.taskExited(a == null ? "#" + x.taskId() : a.execution().name() + " (#" + x.taskId() + ")", name,
                    x.status());
        } else if (m instanceof Message.Withdrawn w) {
            Withdrawal asked = withdrawals.remove(w.request());
            for (long id : w.taskIds()) {
                Attempt a = asked == null ? null : asked.asked().get(id);
                if (a != null && running.remove(id, a)) {
                    a.outcome().complete(TaskOutcome.withdrawn(a.execution(), name));
                }
            }
            if (asked != null) {
                asked.answered().complete(null);
            }
        } else if (m instanceof Message.Data d) {
            Chunks.deliver(fetches, d);
        } else if (m instanceof Message.FileData d) {
            FileTransfers.deliver(fileFetches, connection, d);
        } else if (m instanceof Message.Fetch f) {
            // A worker fetches a file of the master's disk that a task sent there reads: only one offered to it.
            String path = f.file() ? offers.offered(f.key(), index) : null;
            if (path == null) {
                FileTransfers.refuse(connection, f.request(), "the master offers no file under key " + f.key());
            } else {
                connection.sendFile(f.request(), Path.of(path));
            }
        }
    }

    /** Whether a report needs decoding: only a task's exception does; values stay {@link Encoded}. */
    private static boolean carriesPayload(Message.TaskDone d) {
        return d.error().length > 0;
    }

    private TaskOutcome outcome(Message.TaskDone d, TaskExecution execution) {
        Throwable error = null;
        Object result = null;
        Object[] used = new Object[d.used().length];
        try {
            result = value(d.result());
            for (int i = 0; i < used.length; i++) {
                Binding b = execution.bindings()[i];
                // A file's new version is where the task was told to write it, on the disk both sides see; or, for
                // a file in the worker's own directory, what the worker keeps (and nothing else: a worker does not
                // get to name a path of the master's).
                if (b != null && b.source() instanceof StagedFile) {
                    used[i] = keptFile(d.used()[i]);
                } else {
                    used[i] = b != null && b.kind() == Binding.Kind.FILE ? b.target() : value(d.used()[i]);
                }
            }
        } catch (RuntimeException e) {
            error = e;
        }
        if (!d.errorText().isEmpty()) {
            error = remoteError(d);
        }
        // The worker's own clock: the placement record compares the times of tasks on one node.
        return new TaskOutcome(d.taskId(), result, used, error, name, Math.max(0, d.executor()), d.startNanos(),
                d.startNanos() + d.runNanos(), d.cores(), d.gpus(), List.of(d.findings()));
    }

    private Object value(Produced p) {
        return switch (p.kind()) {
            case Produced.INLINE -> new Encoded(p.bytes(), p.className());
            case Produced.STORED -> new RemoteValue(index, p.key(), p.size(), p.className());
            case Produced.FILE -> new RemoteFile(index, p.key(), p.size());
            default -> null;
        };
    }

    private RemoteFile keptFile(Produced p) {
        if (p.kind() == Produced.NONE) {
            return null;
        }
        if (p.kind() != Produced.FILE) {
            throw new IllegalStateException("worker " + name + " reported a file written as a " + p.kind()
                    + " value, not as a file it keeps");
        }
        return new RemoteFile(index, p.key(), p.size());
    }

    /** The task's own exception, as the worker sent it; or, if it cannot be rebuilt here, one that carries its text. */
    private static Throwable remoteError(Message.TaskDone d) {
        if (d.error().length > 0) {
            try {
                if (PayloadCodec.deserialize(d.error()) instanceof Throwable t) {
                    return t;
                }
            } catch (RuntimeException e) {
                // fall back to the text
            }
        }
        return new RemoteTaskException(d.errorText());
    }

    @Override
    public CompletableFuture<Object> fetchObject(RemoteValue value) {
        return fetchObject(value, null);
    }

    @Override
    public CompletableFuture<Object> fetchObject(RemoteValue value, VersionBytes keep) {
        long request = requests.incrementAndGet();
        Chunks.Assembly f = new Chunks.Assembly(connection);
        fetches.put(request, f); // before the check: a loss from now on fails it
        String why = lost;
        if (why != null) {
            fetches.remove(request);
            return CompletableFuture.failedFuture(new IllegalStateException("the " + value.className()
                    + " it holds was lost with worker " + name + " (" + why + ")", lostError(why)));
        }
        connection.send(new Message.Fetch(request, value.key(), false));
        return f.done.whenComplete((bytes, t) -> fetches.remove(request))
                .handleAsync((bytes, t) -> {
                    if (t != null) {
                        Throwable cause = t instanceof java.util.concurrent.CompletionException c ? c.getCause() : t;
                        throw new IllegalStateException("cannot fetch a " + value.className() + " from worker "
                                + name + ": " + cause.getMessage(), cause);
                    }
                    Object object = PayloadCodec.deserialize(bytes);
                    if (keep != null) {
                        keep.keep(bytes); // once it decoded: bytes a task can be run again on
                    }
                    return object;
                }, codec);
    }

    @Override
    public CompletableFuture<Path> fetchFile(RemoteFile file, Path into) {
        long request = requests.incrementAndGet();
        FileTransfers.Receipt receipt;
        try {
            receipt = FileTransfers.receive(connection, into);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cannot make " + into + ": "
                    + e.getMessage(), e));
        }
        fileFetches.put(request, receipt); // before the check: a loss from now on fails it
        String why = lost;
        if (why != null) {
            fileFetches.remove(request);
            FileTransfers.abandon(receipt, new IllegalStateException("lost"));
            return CompletableFuture.failedFuture(new IllegalStateException("the file version it kept was lost with"
                    + " worker " + name + " (" + why + ")", lostError(why)));
        }
        connection.send(new Message.Fetch(request, file.key(), true));
        return receipt.done.handle((path, t) -> {
            fileFetches.remove(request);
            if (t != null) {
                Throwable cause = t instanceof java.util.concurrent.CompletionException c ? c.getCause() : t;
                throw new IllegalStateException("cannot fetch " + into.getFileName() + " from worker " + name + ": "
                        + cause.getMessage(), cause);
            }
            return path;
        });
    }

    /** Fails the fetches from this worker that have received nothing for {@code limitMillis}. Any thread. */
    public void expireSilentFetches(long limitMillis) {
        FileTransfers.expire(fileFetches, null, limitMillis);
        FileTransfers.expire(fetches, null, limitMillis);
    }

    @Override
    public CompletableFuture<Void> withdraw(long[] taskIds) {
        long request = requests.incrementAndGet();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        Map<Long, Attempt> asked = new java.util.HashMap<>();
        for (long id : taskIds) {
            Attempt a = running.get(id);
            if (a != null) {
                asked.put(id, a);
            }
        }
        withdrawals.put(request, new Withdrawal(answered, asked)); // before the check: a loss from now on fails it
        String why = lost;
        if (why != null) {
            withdrawals.remove(request);
            answered.completeExceptionally(lostError(why));
        } else {
            // After the attempts still being encoded: one of them may be among those asked for (held ahead).
            sendAfterAttempts(new Message.Withdraw(request, taskIds));
        }
        return answered;
    }

    @Override
    public void cancel(long[] taskIds) {
        if (lost != null) {
            return;
        }
        sendAfterAttempts(new Message.Cancel(taskIds)); // it must not overtake the RunTask it cancels
    }

    /** Sends a message behind the attempts still being encoded on the codec thread, if any. */
    private void sendAfterAttempts(Message m) {
        if (onCodec.get() > 0) {
            onCodec.incrementAndGet();
            codec.execute(() -> {
                try {
                    connection.send(m);
                } finally {
                    onCodec.decrementAndGet();
                }
            });
        } else {
            connection.send(m);
        }
    }

    @Override
    public void forget(long[] storeKeys) {
        if (lost != null) {
            return;
        }
        // An attempt still being encoded may read what this forgets (a re-run lineage sent while the datum went
        // quiet): it must be prepared there first.
        sendAfterAttempts(new Message.Forget(storeKeys));
    }

    @Override
    public void lose(String why) {
        lost = why;
        WorkerLostException error = lostError(why);
        for (Long id : running.keySet()) {
            Attempt a = running.remove(id);
            if (a != null) {
                a.outcome().completeExceptionally(error);
            }
        }
        for (Chunks.Assembly f : fetches.values()) {
            f.done.completeExceptionally(error);
        }
        for (Long request : withdrawals.keySet()) {
            Withdrawal w = withdrawals.remove(request);
            if (w != null) {
                w.answered().completeExceptionally(error);
            }
        }
        for (Long request : fileFetches.keySet()) {
            FileTransfers.Receipt r = fileFetches.remove(request);
            if (r != null) {
                FileTransfers.abandon(r, error);
            }
        }
    }

    private WorkerLostException lostError(String why) {
        return new WorkerLostException(name, why);
    }
}
