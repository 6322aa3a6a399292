package io.weft.runtime.worker.endpoint;

import io.weft.runtime.worker.Binding;
import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.executor.ExecutorPool;
import io.weft.runtime.worker.objects.PayloadCodec;
import io.weft.wire.Message;
import io.weft.wire.Message.DataRef;
import io.weft.wire.WireConnection;
import io.weft.wire.transfer.Chunks;
import io.weft.wire.transfer.Descriptors;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns each {@link Message.RunTask} into a {@link TaskExecution} on the executor pool: it fetches the inputs other
 * processes hold, deserialises the task's arguments and inputs, finds its method, and queues it, in arrival order.
 * It also stores the objects the master puts here ahead of the tasks that take them.
 *
 * <p>Threading: messages arrive on the event loop, which only notes them (and puts chunks together); everything
 * else runs one job at a time, in order, on the intake's turn ({@link IntakeTurn}: an idle executor, else the intake
 * thread), never on the event loop: deserialising may run class initialisers of any length, and the event loop
 * answers the master's heartbeats. The method cache is the turn's own. Below, "intake thread" means whichever
 * thread has the turn.
 */
final class TaskIntake {
    private final String node;
    private final IntakeTurn intake;
    private final ExecutorPool pool;
    private final ObjectStore objects;
    private final FileStore files;
    private final PeerFetcher fetcher;
    private final TaskReports reports;
    private final Map<Long, Chunks.Assembly> puts = new ConcurrentHashMap<>();
    private final Map<String, Method> methods = new HashMap<>();
    /**
     * Copies of other workers' versions on their way here, by the key they will be kept under: a task that reads
     * one while it travels waits for the same transfer. A failed one is fetched again by the next reader. Intake
     * thread.
     */
    private final Map<Long, CompletableFuture<byte[]>> arriving = new HashMap<>();
    /**
     * Peers' answers awaited for tasks sent ahead here ({@link DataRef#AHEAD} with a host), by the peer's key, while
     * tasks being prepared here wait for them: every task here that reads the same key joins the one request, and
     * binds its own object made from the one answer. A failed request is made again by the next task that comes.
     * Intake thread.
     */
    private final Map<Long, PeerAnswer> peerAnswers = new HashMap<>();
    /**
     * Tasks the master cancelled while they were being prepared here: they are reported cancelled instead of
     * queued. Guarded by itself, as {@link #preparing} and {@link #withdrawn} are, which makes a cancel or a
     * withdrawal and the queueing of that task one after the other.
     */
    private final java.util.Set<Long> cancelled = new java.util.HashSet<>();
    /**
     * Attempts received and not yet queued on the executors (nor failed), by task: the ones a withdrawal finds here.
     */
    private final Map<Long, Message.RunTask> preparing = new HashMap<>();
    /**
     * Attempts the master took back while they were being prepared here: they are dropped instead of queued. By
     * identity, as a later attempt at the same task may be sent here while a withdrawn one still waits for an input.
     */
    private final java.util.Set<Message.RunTask> withdrawn =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /**
     * The keys attempts here keep when they end ({@link Message.RunTask#keep}), by key, until they end: a task sent
     * ahead of such an end ({@link DataRef#AHEAD}) waits for it. Guarded by {@link #cancelled}.
     */
    private final Map<Long, Message.RunTask> producing = new HashMap<>();
    /**
     * The keys that attempts here kept for tasks sent ahead and ended well: only these bind a task sent ahead that
     * comes after its producer ended (a failed attempt may leave what it restored under such a key). Until the
     * master forgets them. Guarded likewise.
     */
    private final java.util.Set<Long> made = new java.util.HashSet<>();
    /**
     * Keys the master forgot while the attempt keeping them had not yet ended here (its report overtook its end): not
     * made when it ends. Guarded likewise.
     */
    private final java.util.Set<Long> forgottenEarly = new java.util.HashSet<>();
    /** Tasks sent ahead, prepared, waiting for keys an attempt here has not produced yet: by key. Guarded likewise. */
    private final Map<Long, List<Held>> waiting = new HashMap<>();
    /**
     * Peers waiting for what an attempt here keeps, for tasks sent ahead to them ({@link Message.AwaitKept}): by key,
     * until that attempt ends. Guarded likewise.
     */
    private final Map<Long, List<Awaiting>> awaited = new HashMap<>();
    /**
     * Keys whose attempt here ended without keeping them: a peer that asks for one later hears so. Kept for the run
     * (the master forgets only keys that were kept), a few bytes per attempt that failed or was dropped. Guarded
     * likewise.
     */
    private final java.util.Set<Long> notProduced = new java.util.HashSet<>();
    /**
     * Tasks sent ahead that were dropped here unreported (what they waited for was not produced), until another
     * attempt at the task arrives: a withdrawal that asks for one is answered as given back. The master asks so when
     * it lost the worker of a task they waited for, whose answer it may never have heard. Guarded likewise.
     */
    private final java.util.Set<Long> droppedUnreported = new java.util.HashSet<>();
    /**
     * The attempt that came while an earlier attempt at the same task was still under way here, by task: it waits
     * for that one to end. The master sends a task again to a worker that may still hold an earlier attempt only
     * when it took that one back: a task sent ahead whose worker may have started it (its input came from a peer),
     * taken back with what it waited for (withdrawn to another worker, failed, lost). So when an attempt comes, every
     * earlier one here that has not started goes, as a withdrawal takes it (it may wait for ever: for a peer's
     * answer about a key the master has forgotten since), and this one waits only for one that runs. The reports,
     * withdrawals and cancels here know attempts by task alone, so a later attempt is not taken in while the
     * reports still hold an earlier one (one that has just been reported, or was abandoned at its time limit, may
     * still be finishing on its thread: its report is out, and it worked on copies). The keys it keeps are noted
     * as being produced here from its arrival. Guarded likewise.
     */
    private final Map<Long, Message.RunTask> later = new HashMap<>();
    /** Serialises kept objects for peers that ask for them once made (not on an event loop). */
    private final java.util.concurrent.Executor serving;

    /**
     * A kept object a peer waits for is serialised on the thread of the attempt that made it, at its end, up to this
     * size (estimated); a larger one on a serving thread, so that what that end released here is not held up.
     */
    private static final int SERVED_HERE_BYTES = 64 << 10;

    /** A peer's answer awaited here, and how many tasks being prepared wait for it. */
    private static final class PeerAnswer {
        final CompletableFuture<byte[]> bytes;
        int readers;

        PeerAnswer(CompletableFuture<byte[]> bytes) {
            this.bytes = bytes;
        }
    }

    /** A peer's request for a key an attempt here has not kept yet. */
    private record Awaiting(WireConnection to, long request, long key) {}

    /**
     * A task sent ahead of the end of an attempt here, prepared but for the inputs that attempt keeps, or with the
     * failure its preparation met, which is reported only once that attempt has ended well (the master hears of
     * that end first).
     */
    private static final class Held {
        final Message.RunTask task;
        final Method method;
        final Object[] arguments;
        final Binding[] bindings;
        final Throwable failure;
        /** Keys still awaited; guarded by {@link #cancelled}. */
        int missing;
        /** Set once an awaited key will never come: the task is dropped. Guarded likewise. */
        boolean doomed;

        Held(Message.RunTask task, Method method, Object[] arguments, Binding[] bindings, Throwable failure) {
            this.task = task;
            this.method = method;
            this.arguments = arguments;
            this.bindings = bindings;
            this.failure = failure;
        }
    }

    /**
     * @param node the node this worker serves, for messages
     * @param intake runs one job at a time, in order (an idle executor or the intake thread)
     * @param pool runs the tasks
     */
    TaskIntake(String node, IntakeTurn intake, ExecutorPool pool, ObjectStore objects, FileStore files,
            PeerFetcher fetcher, TaskReports reports, java.util.concurrent.Executor serving) {
        this.node = node;
        this.serving = serving;
        this.intake = intake;
        this.pool = pool;
        this.objects = objects;
        this.files = files;
        this.fetcher = fetcher;
        this.reports = reports;
        reports.onEnd(this::ended);
    }

    /** A task to run. Event loop. */
    void received(Message.RunTask t) {
        Message.RunTask stale;
        Message.RunTask takenBack = null;
        boolean now;
        synchronized (cancelled) {
            for (long key : t.keep()) {
                producing.put(key, t);
            }
            Message.RunTask earlier = reports.attempt(t.taskId());
            boolean underWay = earlier != null;
            stale = later.remove(t.taskId());
            now = stale == null && !underWay;
            if (now) {
                accept(t);
            } else {
                // The master took the attempts here back (only then does it send the task again): one that waited
                // never started, and one that has not started goes now, as a withdrawal takes it; one that runs
                // ends first, and this one waits for that end (ended).
                later.put(t.taskId(), t);
                if (underWay && withdrawHere(t.taskId())) {
                    takenBack = earlier;
                }
            }
        }
        if (stale != null) {
            letGoWaiting(stale);
        }
        if (takenBack != null) {
            reports.withdrawn(takenBack); // its end prepares this one (startLater)
        }
        if (now) {
            intake.execute(() -> prepare(t), t.executorHint());
        }
    }

    /** Notes an attempt that is to be prepared now. Under the lock. */
    private void accept(Message.RunTask t) {
        reports.accepted(t);
        droppedUnreported.remove(t.taskId());
        preparing.put(t.taskId(), t);
    }

    /**
     * An attempt at a task ended here: the next attempt at it that waited for that end, if any, is prepared now. Any
     * thread.
     */
    private void startLater(long taskId) {
        Message.RunTask next;
        synchronized (cancelled) {
            if (!later.containsKey(taskId) || reports.attempt(taskId) != null) {
                return;
            }
            next = later.remove(taskId);
            accept(next);
        }
        intake.execute(() -> prepare(next), next.executorHint());
    }

    /**
     * The master takes back an attempt that has not started, to run it elsewhere: one queued on the executors
     * leaves their queue; one still being prepared here (its inputs still on their way, say) is dropped instead of
     * queued. Either way the copies of inputs it fetched are kept here, as the master recorded them when it sent the
     * attempt (later readers here, and lineage, count on them). Event loop.
     *
     * <p>The master asks for its latest attempt: one waiting here for an earlier attempt at the task to end is the
     * one taken back, and what it was to keep is not produced here.
     *
     * @return whether the attempt was taken back (else it has started, or ended)
     */
    boolean withdraw(long taskId) {
        Message.RunTask waited;
        Message.RunTask earlier = null;
        synchronized (cancelled) {
            waited = later.remove(taskId);
            if (waited == null) {
                earlier = reports.attempt(taskId);
                if (!withdrawHere(taskId)) {
                    return false;
                }
            }
        }
        if (waited != null) {
            letGoWaiting(waited);
        } else if (earlier != null) {
            reports.withdrawn(earlier); // that attempt only: a later one may have come meanwhile
        }
        return true;
    }

    /** Lets go an attempt that waited for an earlier one ({@link #later}), taken out of that wait: it never ran. */
    private void letGoWaiting(Message.RunTask t) {
        discardPuts(t); // never prepared: what was put for it alone goes with it
        ended(t, false); // never noted by the reports: nothing is reported for it
    }

    /** The rest of {@link #withdraw}: the attempt noted by the reports. Under the lock. */
    private boolean withdrawHere(long taskId) {
        if (pool.withdraw(taskId)) {
            return true;
        }
        Message.RunTask t = preparing.get(taskId);
        if (t == null && droppedUnreported.remove(taskId)) {
            return true; // it will not run here
        }
        if (t == null || cancelled.contains(taskId)) {
            return false;
        }
        preparing.remove(taskId);
        withdrawn.add(t);
        return true;
    }

    /**
     * Lets go what was put here for this attempt alone, and copies of inputs still on their way. Any thread: done on
     * the intake thread, which alone touches {@link #arriving}.
     */
    private void discardPuts(Message.RunTask t) {
        intake.execute(() -> {
            for (DataRef r : t.bindings()) {
                if (r.kind() == DataRef.TAKEN) {
                    objects.discard(r.key()); // put for this attempt only
                } else if (keepsCopy(r)) {
                    arriving.remove(r.outputKey()); // the next reader fetches it again, rather than its bytes stay
                }
            }
        });
    }

    /**
     * The master cancels an attempt: the executors stop it if they have it, else, if it is still being prepared
     * here, it is reported cancelled instead of queued. Event loop.
     */
    void cancel(long taskId) {
        Message.RunTask waited;
        synchronized (cancelled) {
            waited = later.remove(taskId);
            if (!pool.cancel(taskId) && preparing.containsKey(taskId)) {
                cancelled.add(taskId);
            }
        }
        if (waited != null) { // it waited for an earlier attempt: cancelled before it started
            failed(waited, new java.util.concurrent.CancellationException("task " + waited.className() + "."
                    + waited.methodName() + " (#" + waited.taskId() + ") was cancelled before it started"));
        }
    }

    /** A chunk of an object the master puts here. Event loop. */
    void received(WireConnection from, Message.Put p) {
        Chunks.Assembly in = puts.computeIfAbsent(p.key(), k -> new Chunks.Assembly(from));
        byte[] whole = in.add(p.chunk(), p.last());
        if (whole != null) {
            puts.remove(p.key());
            // On the intake thread, so it is stored before the task sent after it is prepared.
            intake.execute(() -> objects.putReceived(p.key(), whole));
        }
    }

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
                case DataRef.REMOTE -> keepsCopy(r) ? copy(r) : fetcher.fetch(r.host(), r.port(), r.key());
                case DataRef.FILE_KEPT -> files.kept(r.key());
                case DataRef.FILE_REMOTE, DataRef.FILE_MASTER -> fetcher.fetchFile(r);
                case DataRef.AHEAD -> r.host() == null ? null : peerAnswer(r);
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
                    letGoPeerAnswers(t);
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        if (anyNotProduced(waiting.values())) {
                            drop(t); // the master takes it back when it hears of that end
                            return;
                        }
                        IllegalStateException failure = new IllegalStateException("cannot fetch an input of "
                                + t.className() + "." + t.methodName() + " from the process that holds it: "
                                + cause.getMessage(), cause);
                        if (sentAhead(t)) {
                            hold(new Held(t, null, null, null, failure)); // reported after its producer, if at all
                        } else {
                            failed(t, failure);
                        }
                        return;
                    }
                    Map<Integer, Object> fetched = new HashMap<>();
                    waiting.forEach((i, f) -> fetched.put(i, f.join()));
                    start(t, fetched);
                }, t.executorHint()));
    }

    /** The request for a peer's answer a task sent ahead here waits for: the one under way, else a new one. */
    private CompletableFuture<byte[]> peerAnswer(DataRef r) {
        PeerAnswer a = peerAnswers.get(r.key());
        if (a == null || a.bytes.isCompletedExceptionally() && !notProduced(a.bytes)) {
            PeerAnswer again = new PeerAnswer(fetcher.awaitKept(r.host(), r.port(), r.key()));
            if (a != null) {
                again.readers = a.readers; // they still let go of it when they go on
            }
            peerAnswers.put(r.key(), a = again);
        }
        a.readers++;
        return a.bytes;
    }

    /** A task sent ahead here has what it awaited from peers (or their failures): the answers it read may go. */
    private void letGoPeerAnswers(Message.RunTask t) {
        for (DataRef r : t.bindings()) {
            if (r.kind() == DataRef.AHEAD && r.host() != null) {
                PeerAnswer a = peerAnswers.get(r.key());
                if (a != null && --a.readers <= 0) {
                    peerAnswers.remove(r.key());
                }
            }
        }
    }

    /**
     * Whether a peer answered that an attempt a task sent ahead here waits for there kept nothing (whatever else
     * failed too: the master takes the task back when it hears of that end, so it must not be reported).
     */
    private static boolean anyNotProduced(java.util.Collection<CompletableFuture<?>> inputs) {
        for (CompletableFuture<?> f : inputs) {
            if (notProduced(f)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a peer's answer said that the attempt it awaited kept nothing. */
    private static boolean notProduced(CompletableFuture<?> f) {
        if (f.isCompletedExceptionally()) {
            try {
                f.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                return cause instanceof IllegalStateException && cause.getMessage() != null
                        && cause.getMessage().startsWith(Message.AwaitKept.NOT_PRODUCED);
            }
        }
        return false;
    }

    /** Whether a reference names what an attempt here keeps when it ends (not one on a peer). */
    private static boolean aheadHere(DataRef r) {
        return r.kind() == DataRef.AHEAD && r.host() == null;
    }

    /**
     * Materialises the task's inputs and queues it on the executors; a task sent ahead waits for what an attempt
     * here keeps ({@link #hold}). Intake thread.
     */
    private void start(Message.RunTask t, Map<Integer, Object> fetched) {
        Held read = read(t, fetched);
        if (sentAhead(t)) {
            hold(read);
            return;
        }
        if (read.failure != null) {
            failed(t, read.failure); // out of memory decoding an input, say: the attempt fails, saying so
            return;
        }
        queue(t, read.method, read.arguments, read.bindings); // reports what it meets itself, once queued or not
    }

    /** The task's method and inputs, or what stopped them being read; held, if it was sent ahead. */
    private Held read(Message.RunTask t, Map<Integer, Object> fetched) {
        try {
            return new Held(t, method(t), arguments(t), bindings(t, fetched), null);
        } catch (RuntimeException | ReflectiveOperationException | LinkageError | IOException
                | VirtualMachineError e) {
            return new Held(t, null, null, null, e);
        }
    }

    private static Object[] arguments(Message.RunTask t) {
        return t.arguments() == null ? new Object[t.argumentBinding().length]
                : (Object[]) PayloadCodec.deserialize(t.arguments());
    }

    /** The task's inputs, with {@code null} for those an attempt here has not produced yet ({@link DataRef#AHEAD}). */
    private Binding[] bindings(Message.RunTask t, Map<Integer, Object> fetched) throws IOException {
        DataRef[] refs = t.bindings();
        Binding[] bindings = new Binding[refs.length];
        for (int i = 0; i < refs.length; i++) {
            DataRef r = refs[i];
            bindings[i] = switch (r.kind()) {
                    case DataRef.NONE -> null;
                    case DataRef.INLINE -> Binding.object(PayloadCodec.deserialize(r.bytes()), false, r.written());
                    case DataRef.STORED -> objects.stored(r.key(), r.copy(), r.written());
                    case DataRef.TAKEN -> objects.taken(r.key(), r.written());
                    case DataRef.REMOTE -> {
                        if (keepsCopy(r)) {
                            if (!objects.holds(r.outputKey())) {
                                arriving.remove(r.outputKey());
                                byte[] bytes = (byte[]) fetched.get(i);
                                objects.keep(r.outputKey(), PayloadCodec.deserialize(bytes), bytes.length, bytes);
                            }
                            yield objects.stored(r.outputKey(), false, false); // read only: shared by its readers here
                        }
                        yield Binding.object(PayloadCodec.deserialize((byte[]) fetched.get(i)), false, r.written());
                    }
                    case DataRef.FILE -> Binding.file(r.source(), r.target(), r.copy(), r.written());
                    case DataRef.AHEAD -> r.host() == null ? null // bound when the attempt here ends
                            : Binding.object(PayloadCodec.deserialize((byte[]) fetched.get(i)), false, r.written());
                    default -> files.staged(r, (Path) fetched.get(i));
                };
        }
        return bindings;
    }

    /**
     * Queues a prepared attempt on the executors: next on the calling executor, if an executor releases it between two
     * attempts. Intake thread, or an executor thread. Throws nothing: an attempt that cannot start is reported so.
     */
    private void queue(Message.RunTask t, Method method, Object[] arguments, Binding[] bindings) {
        try {
            int here = pool.callerSlot();
            TaskExecution execution = new TaskExecution(t.taskId(), t.className() + "." + t.methodName(), method,
                    arguments, t.argumentBinding(), t.receiverBinding(), bindings, t.attempt(),
                    here >= 0 ? here : t.executorHint(),
                    new ResourceDemand(t.cores(), t.gpus(), t.gpuMemoryBytes(), t.memoryBytes(),
                            t.gpuName() == null ? "" : t.gpuName()), null, t.check(), t.timeoutNanos(),
                    t.restoreOnFailure());
            synchronized (cancelled) {
                if (withdrawn.remove(t)) {
                    return; // what was put for it alone is in its bindings, let go with them
                }
                // Queued or reported cancelled from here on: no withdrawal finds it any more.
                preparing.remove(t.taskId(), t);
                if (!cancelled.remove(t.taskId())) {
                    pool.execute(execution);
                    return;
                }
            }
            // Reported below, as an attempt that cannot start, after what was put here for it is let go.
            throw new java.util.concurrent.CancellationException("task " + execution.name() + " (#" + t.taskId()
                    + ") was cancelled before it started");
        } catch (RuntimeException | LinkageError e) {
            failed(t, e);
        }
    }

    private static boolean sentAhead(Message.RunTask t) {
        for (DataRef r : t.bindings()) {
            if (r.kind() == DataRef.AHEAD) {
                return true;
            }
        }
        return false;
    }

    /**
     * A task sent ahead is prepared: it waits for each key an attempt here is still to keep; it goes now if every key
     * is here already (kept by an attempt that has ended well, whose report went first); it is dropped, unreported,
     * if a key is neither (that attempt ended without keeping it: the master takes the task back when it hears of
     * that end). Intake thread.
     */
    private void hold(Held h) {
        Message.RunTask t = h.task;
        boolean doomed = false;
        boolean now;
        synchronized (cancelled) {
            if (withdrawn.remove(t)) {
                discardPuts(t); // taken back after its producer ended well, while it was being prepared
                return;
            }
            for (DataRef r : t.bindings()) {
                if (!aheadHere(r)) {
                    continue; // a peer's was fetched when its attempt there ended
                }
                if (producing.containsKey(r.key())) {
                    h.missing++;
                    waiting.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>(1)).add(h);
                } else if (!made.contains(r.key())) {
                    doomed = true;
                }
            }
            if (doomed) {
                h.doomed = true; // left in the lists it joined: skipped when its keys come
            }
            // Decided here: once the lock is let go, the producer's executor may release it (ended).
            now = !doomed && h.missing == 0;
        }
        if (doomed) {
            drop(t);
        } else if (now) {
            release(h);
        }
    }

    /**
     * Every key a held task waited for is here: it goes, with them bound (or its failure is reported now, after its
     * producer's report). Executor thread of its producer (it runs the task next), or the intake thread.
     */
    private void release(Held h) {
        Message.RunTask t = h.task;
        if (h.failure != null) {
            failed(t, h.failure);
            return;
        }
        try {
            DataRef[] refs = t.bindings();
            for (int i = 0; i < refs.length; i++) {
                if (aheadHere(refs[i])) {
                    h.bindings[i] = objects.stored(refs[i].key(), refs[i].copy(), refs[i].written());
                }
            }
        } catch (RuntimeException e) {
            failed(t, e);
            return;
        }
        queue(t, h.method, h.arguments, h.bindings);
    }

    /** A task sent ahead whose input will never come here: dropped without a report; the master takes it back. */
    private void drop(Message.RunTask t) {
        synchronized (cancelled) {
            if (preparing.remove(t.taskId(), t)) {
                droppedUnreported.add(t.taskId());
            }
            withdrawn.remove(t); // taken back meanwhile: dropped all the same
        }
        discardPuts(t);
        reports.dropped(t); // the tasks sent ahead behind it are dropped in turn (ended)
    }

    /**
     * An attempt ended here: the tasks sent ahead that wait for what it keeps go (those it released run next on the
     * calling executor), or, if it did not keep it, are dropped; then a later attempt at the task that waited for
     * this one is prepared. Any thread.
     */
    private void ended(Message.RunTask t, boolean produced) {
        settleKept(t, produced);
        startLater(t.taskId());
    }

    /** The rest of {@link #ended}: what the attempt was to keep, and who waited for it. */
    private void settleKept(Message.RunTask t, boolean produced) {
        long[] keys = t.keep();
        if (keys.length == 0) {
            return;
        }
        List<Held> ready = null;
        List<Message.RunTask> doomed = null;
        List<Awaiting> served = null;
        synchronized (cancelled) {
            for (long key : keys) {
                producing.remove(key, t);
                boolean forgotten = forgottenEarly.remove(key);
                if (forgotten) {
                    objects.drop(key); // kept after the master forgot it
                } else if (produced) {
                    made.add(key);
                } else {
                    notProduced.add(key);
                }
                List<Awaiting> peers = awaited.remove(key);
                if (peers != null) {
                    if (produced && !forgotten && objects.holds(key)) {
                        if (served == null) {
                            served = new java.util.ArrayList<>(peers.size());
                        }
                        served.addAll(peers);
                    } else {
                        peers.forEach(this::refuseNotProduced);
                    }
                }
                List<Held> held = waiting.remove(key);
                if (held == null) {
                    continue;
                }
                boolean here = produced && objects.holds(key);
                for (Held h : held) {
                    if (h.doomed) {
                        continue;
                    }
                    if (!here) {
                        h.doomed = true;
                        if (doomed == null) {
                            doomed = new java.util.ArrayList<>(2);
                        }
                        doomed.add(h.task);
                    } else if (--h.missing == 0) {
                        if (ready == null) {
                            ready = new java.util.ArrayList<>(2);
                        }
                        ready.add(h);
                    }
                }
            }
        }
        if (served != null) {
            for (Awaiting a : served) {
                if (objects.smallerThan(a.key(), SERVED_HERE_BYTES)) {
                    objects.serve(a.to(), a.request(), a.key()); // before what this end releases here: it waits now
                } else {
                    serving.execute(() -> objects.serve(a.to(), a.request(), a.key())); // not in the way of those
                }
            }
        }
        if (doomed != null) {
            doomed.forEach(this::drop);
        }
        if (ready != null) {
            ready.forEach(this::release);
        }
    }

    /**
     * A peer asks for what an attempt here keeps under {@code key}, for a task sent ahead to it: answered now if that
     * attempt has ended (or the key is unknown here for good), else when it ends. Event loop.
     */
    void awaitKept(WireConnection from, Message.AwaitKept a) {
        boolean now;
        synchronized (cancelled) {
            if (notProduced.contains(a.key())) {
                refuseNotProduced(new Awaiting(from, a.request(), a.key()));
                return;
            }
            now = made.contains(a.key());
            if (!now) {
                // Its attempt is under way here, or its RunTask is still on its way from the master.
                awaited.computeIfAbsent(a.key(), k -> new java.util.ArrayList<>(1))
                        .add(new Awaiting(from, a.request(), a.key()));
            }
        }
        if (now) {
            serving.execute(() -> objects.serve(from, a.request(), a.key()));
        }
    }

    private void refuseNotProduced(Awaiting a) {
        a.to().send(new Message.Data(a.request(), true, null, Message.AwaitKept.NOT_PRODUCED + "worker " + node
                + " keeps nothing under key " + a.key()));
    }

    /**
     * The attempt could not start: what was put here for it alone is let go, and it is reported as failed — unless
     * the master took it back meanwhile (it runs elsewhere; its answer said so). One step under the lock, so that a
     * withdrawal either finds the attempt and it is not reported, or does not find it. Intake thread, or the executor
     * that released a task sent ahead.
     */
    private void failed(Message.RunTask t, Throwable error) {
        boolean takenBack;
        synchronized (cancelled) {
            takenBack = withdrawn.remove(t);
            preparing.remove(t.taskId(), t);
        }
        discardPuts(t);
        if (!takenBack) {
            reports.failed(t, error);
        }
    }

    /**
     * Whether a version fetched from a peer is to be kept here as a copy, under the output key: a task that only
     * reads it, so later readers here (and tasks that update it, on a private copy) need no transfer.
     */
    private static boolean keepsCopy(DataRef r) {
        return !r.written() && r.outputKey() != 0;
    }

    /**
     * The transfer that brings the copy a reader asks for: none if it is here already (the reader binds it), the
     * one under way if another reader started it, else a new one.
     */
    private CompletableFuture<byte[]> copy(DataRef r) {
        if (objects.holds(r.outputKey())) {
            return null;
        }
        CompletableFuture<byte[]> bytes = arriving.get(r.outputKey());
        if (bytes == null || bytes.isCompletedExceptionally()) {
            bytes = fetcher.fetch(r.host(), r.port(), r.key());
            arriving.put(r.outputKey(), bytes);
        }
        return bytes;
    }

    /**
     * The master forgot these keys: a copy of one still on its way is not kept, and one kept by a preparation that
     * was under way when the master forgot it (an attempt withdrawn meanwhile, whose reading the master no longer
     * counts) is let go. Event loop.
     */
    void forgotten(long[] keys) {
        intake.execute(() -> {
            for (long key : keys) {
                arriving.remove(key);
                objects.drop(key);
            }
            synchronized (cancelled) {
                for (long key : keys) {
                    made.remove(key);
                    notProduced.remove(key);
                    if (producing.containsKey(key)) {
                        forgottenEarly.add(key);
                    } else {
                        List<Awaiting> peers = awaited.remove(key); // no attempt here will keep it now
                        if (peers != null) {
                            peers.forEach(this::refuseNotProduced);
                        }
                    }
                }
            }
        });
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
}
