package io.weft.runtime.master;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerGateway;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.Message.Produced;
import io.weft.wire.WireConnection;
import io.weft.wire.transfer.Chunks;
import io.weft.wire.transfer.Descriptors;
import io.weft.wire.transfer.FileTransfers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The master's gateway to a worker process: turns each attempt into a {@link Message.RunTask} that says where every
 * input is (sent inline, already in that worker's store, or to be fetched from the worker that keeps it), and each
 * {@link Message.TaskDone} back into a {@link TaskOutcome} whose written versions are objects or
 * {@link RemoteValue}s.
 *
 * <p>Threading: {@link #execute} and {@link #forget} on the analyser thread; {@link #received} on the connection's
 * event loop; {@link #fetch} on the analyser thread, waiting for the worker's answer.
 */
final class RemoteWorker implements WorkerGateway {
    /** Objects the master holds up to this size go inside the task message; larger ones are put first, in chunks. */
    static final int INLINE_BYTES = 1 << 20;

    private final int index;
    private final String name;
    private final int slots;
    private final WireConnection connection;
    private final String host;
    private final int dataPort;
    private final OutcomeListener listener;
    private final AtomicLong keys;
    private final RemoteWorker[] all;
    private final Map<Long, TaskExecution> running = new ConcurrentHashMap<>();
    private final Map<Long, Chunks.Assembly> fetches = new ConcurrentHashMap<>();
    private final Map<Long, FileTransfers.Receipt> fileFetches = new ConcurrentHashMap<>();
    private final FileStaging files;
    private final AtomicLong requests = new AtomicLong();
    private volatile String lost;

    /**
     * @param all every remote worker of the run, by node index (filled by the caller), to find who keeps a version
     * @param keys the run's source of store keys
     */
    RemoteWorker(int index, String name, int slots, WireConnection connection, String host, int dataPort,
            OutcomeListener listener, AtomicLong keys, RemoteWorker[] all, FileStaging files) {
        this.files = files;
        this.index = index;
        this.name = name;
        this.slots = slots;
        this.connection = connection;
        this.host = host;
        this.dataPort = dataPort;
        this.listener = listener;
        this.keys = keys;
        this.all = all;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int computingUnits() {
        return slots;
    }

    /**
     * Sends an attempt. An argument that cannot be serialised fails that attempt (reported like any task failure),
     * not the run.
     */
    @Override
    public void execute(TaskExecution e) {
        List<Long> put = new ArrayList<>();
        try {
            Binding[] bindings = e.bindings();
            DataRef[] refs = new DataRef[bindings.length];
            long[] inline = {0};
            for (int i = 0; i < bindings.length; i++) {
                refs[i] = reference(bindings[i], inline, put);
            }
            Object[] plain = null;
            for (int i = 0; i < e.arguments().length; i++) {
                if (e.argumentBinding()[i] < 0 && e.arguments()[i] != null) {
                    if (plain == null) {
                        plain = new Object[e.arguments().length];
                    }
                    plain[i] = e.arguments()[i];
                }
            }
            byte[] arguments = plain == null ? null : PayloadCodec.serialize(plain);
            if (arguments != null && arguments.length > MAX_MESSAGE_INLINE) {
                throw new IllegalArgumentException("its plain arguments (strings, numbers…) take " + arguments.length
                        + " bytes serialised, more than the " + MAX_MESSAGE_INLINE + " a task message may carry;"
                        + " pass large values inside an object parameter");
            }
            running.put(e.taskId(), e);
            var d = e.demand();
            connection.send(new Message.RunTask(e.taskId(), e.attempt(), e.method().getDeclaringClass().getName(),
                    e.method().getName(), Descriptors.of(e.method()), e.executorHint(), d.cores(), d.gpus(),
                    d.gpuMemoryBytes(), d.memoryBytes(), d.gpuName().isEmpty() ? null : d.gpuName(),
                    e.receiverBinding(), e.argumentBinding(), arguments, refs, keys.incrementAndGet()));
        } catch (RuntimeException failure) {
            running.remove(e.taskId());
            if (!put.isEmpty()) {
                forget(put.stream().mapToLong(Long::longValue).toArray());
            }
            long now = System.nanoTime();
            listener.completed(new TaskOutcome(e.taskId(), null, new Object[e.bindings().length], failure, name, 0,
                    now, now, new int[0], new int[0]));
        }
    }

    /** A task message carries at most this many serialised bytes; larger inputs are put ahead of it in chunks. */
    static final int MAX_MESSAGE_INLINE = 8 << 20;

    /**
     * Where the worker finds one datum.
     *
     * @param inline serialised bytes already in the message, updated
     * @param put keys of objects put ahead of the message, added to
     */
    private DataRef reference(Binding b, long[] inline, List<Long> put) {
        if (b == null) {
            return DataRef.none();
        }
        if (b.source() instanceof FileStaging.Staged s) {
            RemoteWorker holder = s.kind() == DataRef.FILE_REMOTE ? all[s.holder()] : null;
            return DataRef.staged(s.kind(), s.key(), holder == null ? null : holder.host,
                    holder == null ? 0 : holder.dataPort, s.name(), b.copy(), s.written(), s.outputKey());
        }
        if (b.kind() == Binding.Kind.FILE) {
            return DataRef.file((String) b.source(), b.target(), b.copy());
        }
        long output = b.written() ? keys.incrementAndGet() : 0;
        if (b.source() instanceof RemoteValue r) {
            if (r.node() == index) {
                return DataRef.stored(DataRef.STORED, r.key(), b.copy(), b.written(), output);
            }
            RemoteWorker holder = all[r.node()];
            return DataRef.remote(r.key(), holder.host, holder.dataPort, b.copy(), b.written(), output);
        }
        // An interface placeholder crosses as the object it stands for, not as a proxy of a proxy.
        byte[] bytes = PayloadCodec.serialize(Placeholders.unwrap(b.source()));
        if (bytes.length <= INLINE_BYTES && inline[0] + bytes.length <= MAX_MESSAGE_INLINE) {
            inline[0] += bytes.length;
            return DataRef.inline(bytes, b.copy(), b.written(), output);
        }
        long key = keys.incrementAndGet();
        put.add(key);
        Chunks.split(bytes, (chunk, last) -> connection.send(new Message.Put(key, last, chunk)));
        return DataRef.stored(DataRef.TAKEN, key, false, b.written(), output);
    }

    /** A message from this worker. Event loop. */
    void received(Message m) {
        if (m instanceof Message.TaskDone d) {
            TaskExecution e = running.remove(d.taskId());
            if (e != null) {
                listener.completed(outcome(d, e));
            }
        } else if (m instanceof Message.Data d) {
            Chunks.deliver(fetches, d);
        } else if (m instanceof Message.FileData d) {
            FileTransfers.deliver(fileFetches, connection, d);
        } else if (m instanceof Message.Fetch f) {
            // A worker fetches a file of the master's disk that a task sent there reads: only one offered to it.
            String path = f.file() ? files.offered(f.key(), index) : null;
            if (path == null) {
                connection.send(new Message.FileData(f.request(), true, null, "the master offers no file under key "
                        + f.key()));
            } else {
                connection.sendFile(f.request(), Path.of(path));
            }
        }
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
                if (b != null && b.source() instanceof FileStaging.Staged) {
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
        long end = System.nanoTime();
        return new TaskOutcome(d.taskId(), result, used, error, name, Math.max(0, d.executor()), end - d.runNanos(),
                end, d.cores(), d.gpus());
    }

    private Object value(Produced p) {
        return switch (p.kind()) {
            case Produced.INLINE -> PayloadCodec.deserialize(p.bytes());
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

    /**
     * Fetches a version this worker keeps. Waits at most {@code timeoutMillis}.
     *
     * @throws IllegalStateException if the worker was lost, does not answer, or cannot send it
     */
    Object fetch(RemoteValue value, long timeoutMillis) {
        long request = requests.incrementAndGet();
        Chunks.Assembly f = new Chunks.Assembly();
        fetches.put(request, f); // before the check: a loss from now on fails it
        String why = lost;
        if (why != null) {
            fetches.remove(request);
            throw new IllegalStateException("the " + value.className() + " it holds was lost with worker " + name
                    + " (" + why + ")");
        }
        connection.send(new Message.Fetch(request, value.key(), false));
        try {
            return PayloadCodec.deserialize(f.done.get(timeoutMillis, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching from worker " + name, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot fetch a " + value.className() + " from worker " + name + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("worker " + name + " did not send a " + value.className() + " within "
                    + timeoutMillis + " ms");
        } finally {
            fetches.remove(request);
        }
    }

    /**
     * Fetches a file version this worker keeps into {@code into} (made or replaced). Waits at most
     * {@code timeoutMillis} without a chunk arriving.
     *
     * @throws IllegalStateException if the worker was lost, stops sending, or cannot send it
     */
    void fetchFile(RemoteFile file, Path into, long timeoutMillis) {
        long request = requests.incrementAndGet();
        FileTransfers.Receipt receipt;
        try {
            receipt = FileTransfers.receive(connection, into);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + into + ": " + e.getMessage(), e);
        }
        fileFetches.put(request, receipt); // before the check: a loss from now on fails it
        String why = lost;
        if (why != null) {
            fileFetches.remove(request);
            FileTransfers.abandon(receipt, new IllegalStateException("lost"));
            throw new IllegalStateException("the file version it kept was lost with worker " + name + " (" + why
                    + ")");
        }
        connection.send(new Message.Fetch(request, file.key(), true));
        while (true) {
            try {
                receipt.done.get(1, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fileFetches.remove(request);
                FileTransfers.abandon(receipt, e);
                throw new IllegalStateException("interrupted while fetching " + into + " from worker " + name, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot fetch " + into.getFileName() + " from worker " + name + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                FileTransfers.expire(fileFetches, null, timeoutMillis); // a worker that stops sending fails it
            }
        }
    }

    /** The worker may drop these versions. */
    void forget(long[] storeKeys) {
        if (lost == null) {
            connection.send(new Message.Forget(storeKeys));
        }
    }

    /**
     * The worker is gone: fetches from it fail, and reports still on their way are ignored (the analyser, told
     * after this, sends its attempts elsewhere).
     */
    void lost(String why) {
        lost = why;
        running.clear();
        for (Chunks.Assembly f : fetches.values()) {
            f.done.completeExceptionally(new IllegalStateException("worker " + name + " was lost (" + why + ")"));
        }
        for (Long request : fileFetches.keySet()) {
            FileTransfers.Receipt r = fileFetches.remove(request);
            if (r != null) {
                FileTransfers.abandon(r, new IllegalStateException("worker " + name + " was lost (" + why + ")"));
            }
        }
    }

    @Override
    public void shutdown() {
        // The worker pool says the run is over to every worker.
    }

    /** An exception a task threw in a worker process that cannot be rebuilt here; its message is the worker's trace. */
    static final class RemoteTaskException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RemoteTaskException(String trace) {
            super(trace.strip());
        }
    }
}
