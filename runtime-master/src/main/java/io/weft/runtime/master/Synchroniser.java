package io.weft.runtime.master;

import io.weft.api.TaskFailedException;
import io.weft.api.spi.InstrumentedClasses;
import io.weft.log.Log;
import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.master.gateway.WorkerGateway;
import io.weft.runtime.master.task.Placeholders;
import io.weft.runtime.worker.objects.PayloadCodec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * The application threads' side of waiting: a use of a datum waits for the tasks that use it (and, for a datum
 * whose latest version a worker keeps, for its move home); a barrier waits for every task; a synchronous call
 * waits for its result. The analyser's side: when a task ends ({@link TaskEnds}), the data it used are released
 * and the threads waiting for them woken.
 *
 * <p>Threading: application threads wait on the monitor of what they need (a handle, a task, a group, the
 * in-flight counter) and post nothing but {@link AnalyserEvent.BringHome}; the analyser thread counts down and
 * notifies. Nobody else blocks.
 */
final class Synchroniser implements TaskEnds {
    private static final Log LOG = Log.of(Synchroniser.class);
    private static final OneByOneWaits.Why TOUCHED = new OneByOneWaits.Why.Touched();
    /** How long a thread that has waited long gives the analyser to say what it waits for. */
    private static final long DESCRIBE_TIMEOUT_MILLIS = 2000;
    /** How long a synchronous result a worker keeps may take to arrive. */
    private static final long FETCH_TIMEOUT_MILLIS = 600_000;

    private final DataRegistry registry;
    private final FailureLog failures;
    private final RunStatistics statistics;
    private final Analyser.Inbox analyser;
    private final IntFunction<WorkerGateway> gateways;
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * As {@link #inFlight}, but counted down before the ended task's data are released, so that a thread woken by
     * that release and submitting its next task sees only its own: the measure of a program waiting for its tasks
     * one at a time.
     */
    private final AtomicInteger unended = new AtomicInteger();
    /** Data whose latest version a worker keeps while no task uses it. */
    private final AtomicInteger away = new AtomicInteger();
    private volatile int wakeBelow = Integer.MIN_VALUE;
    private final Object inFlightLock = new Object();
    /** The limits application threads wait below, guarded by {@code inFlightLock}. */
    private final List<Integer> waitingLimits = new ArrayList<>();
    private final ThreadLocal<ArrayDeque<Group>> openGroups = new ThreadLocal<>() {
        @Override
        protected ArrayDeque<Group> initialValue() {
            return new ArrayDeque<>();
        }
    };
    private volatile Throwable analyserFailure;
    /** Why the run cannot go on (every worker was lost), or {@code null}. */
    private volatile String runFailure;
    private volatile Thread exitHook;
    private final OneByOneWaits oneByOne;
    private final long warnAfterNanos;
    private final LongSupplier nanoClock;
    /** The program's main thread ({@link #mainThread(Thread)}); by default the thread that made this. */
    private volatile Thread mainThread = Thread.currentThread();
    /** Whether a long wait's warning has said what to do: once a run is enough. */
    private final AtomicBoolean advised = new AtomicBoolean();

    /**
     * @param warnAfterMillis how long a thread waits before a {@link WaitWarning} says what for; 0 never
     * @param nanoClock {@link System#nanoTime}, or a test's clock
     */
    Synchroniser(DataRegistry registry, FailureLog failures, RunStatistics statistics, Analyser.Inbox analyser,
            IntFunction<WorkerGateway> gateways, long warnAfterMillis, LongSupplier nanoClock) {
        this(registry, failures, statistics, analyser, gateways, warnAfterMillis, nanoClock,
                OneByOneWaits.onStandardError());
    }

    /** @param oneByOne notices a program that waits for its tasks one at a time */
    Synchroniser(DataRegistry registry, FailureLog failures, RunStatistics statistics, Analyser.Inbox analyser,
            IntFunction<WorkerGateway> gateways, long warnAfterMillis, LongSupplier nanoClock,
            OneByOneWaits oneByOne) {
        this.oneByOne = oneByOne;
        this.registry = registry;
        this.failures = failures;
        this.statistics = statistics;
        this.analyser = analyser;
        this.gateways = gateways;
        this.warnAfterNanos = TimeUnit.MILLISECONDS.toNanos(warnAfterMillis);
        this.nanoClock = nanoClock;
    }

    /** The program's main thread, when the runtime starts on another one (beside {@code main}). */
    void mainThread(Thread main) {
        mainThread = main;
    }

    /** The thread of the JVM's exit hook: told to stop while it waits, it stops waiting. */
    void exitHook(Thread hook) {
        exitHook = hook;
    }

    /** Tasks submitted and not yet ended. */
    int inFlight() {
        return inFlight.get();
    }

    /** A task was submitted. Application thread, before it posts the task. */
    void submitted() {
        unended.incrementAndGet();
        inFlight.incrementAndGet();
    }

    /**
     * A task counted by {@link #submitted} could not be posted (the post ran out of memory): it will never end, so
     * nothing may wait for it. Application thread.
     */
    void notPosted() {
        unended.decrementAndGet();
        countEnded();
    }

    /**
     * Whether a use of data may have to wait or throw: while tasks are pending or workers keep data the program
     * may ask for, and — once a task has failed — for the rest of the run, so that touching a failed result always
     * throws, even after every task has ended.
     */
    boolean hasPendingTasks() {
        return inFlight.get() > 0 || away.get() > 0 || failures.any();
    }

    // ---------------------------------------------------------------- groups

    /** Opens a task group on the calling thread: tasks it submits until the group closes belong to it. */
    Group openGroup(String name) {
        Group g = new Group(name, openGroups.get().peek(), this);
        openGroups.get().push(g);
        return g;
    }

    /** The innermost open group of the calling thread, or {@code null}. */
    Group currentGroup() {
        return openGroups.get().peek();
    }

    void closed(Group group) {
        openGroups.get().remove(group);
    }

    /** A group was cancelled: the analyser cancels its running tasks. Any thread. */
    void cancelled(Group group) {
        analyser.post(new AnalyserEvent.CancelGroup(group));
    }

    // ---------------------------------------------------------------- uses of data

    void use(Object object) {
        if (Submitter.isValue(object)) {
            return; // an enum constant that was a task's receiver has a handle, but is never waited for
        }
        DataRegistry.ClassFacts facts = DataRegistry.facts(object);
        if (facts.namesFile) {
            usePath(DataRegistry.normalise(object instanceof File f ? f.toPath() : (Path) object));
            return;
        }
        DataHandle h = registry.findObject(object, facts);
        if (h != null) {
            await(h);
        }
    }

    /** Whether {@link #use} would return at once for {@code object}: no task uses it, and none failed making it. */
    boolean ready(Object object) {
        if (Submitter.isValue(object)) {
            return true;
        }
        DataRegistry.ClassFacts facts = DataRegistry.facts(object);
        if (facts.namesFile) {
            return false;
        }
        DataHandle h = registry.findObject(object, facts);
        return h == null || h.pending.get() == 0 && h.failure == null;
    }

    /**
     * The program hands {@code object} to a JDK method that only stores it: an object that waits for its own tasks
     * whenever it is called (of a class the agent rewrote, or an interface result's proxy) is stored as it is;
     * any other may be read by library code that does not wait, so it is waited for now.
     */
    void store(Object object) {
        if (DataRegistry.facts(object).namesFile || Submitter.isValue(object)) {
            use(object);
            return;
        }
        if (Placeholders.isProxy(object) || InstrumentedClasses.waitsForItself(object.getClass())) {
            return;
        }
        DataHandle h = registry.findObject(object);
        if (h != null) {
            await(h, new OneByOneWaits.Why.Stored(object.getClass().getName()));
        }
    }

    void usePath(String path) {
        String normalised = DataRegistry.normalise(Path.of(path));
        DataHandle h = registry.findFile(normalised);
        if (h != null) {
            await(h);
        } else if (Files.isDirectory(Path.of(normalised))) {
            // Listing or walking a directory: wait for the files that tasks write inside it.
            for (DataHandle inside : registry.filesUnder(normalised)) {
                await(inside);
            }
        }
    }

    /** Waits until no task uses the datum and its latest version is home; throws if that version failed. */
    void await(DataHandle h) {
        await(h, TOUCHED);
    }

    private void await(DataHandle h, OneByOneWaits.Why why) {
        awaitQuiet(h, why);
        TaskFailure f = h.failure;
        if (f != null) {
            throw report(f);
        }
    }

    /** Waits until no task uses the datum and its latest version is home (or failed); reports nothing. */
    private void awaitQuiet(DataHandle h, OneByOneWaits.Why why) {
        if (h.pending.get() > 0) {
            boolean alone = unended.get() == 1 && !h.away;
            LongWait wait = new LongWait("for " + h, h, null);
            while (h.pending.get() > 0) {
                synchronized (h) {
                    h.waiting = true;
                    if (h.pending.get() > 0) {
                        checkAnalyser();
                        if (h.away && !h.homeWanted) {
                            analyser.post(new AnalyserEvent.BringHome(h));
                        }
                        waitOn(h, h.toString());
                    }
                }
                wait.check(); // not holding h: the analyser takes its monitor to say that the tasks ended
            }
            oneByOne.blocked(alone, why);
        }
    }

    /**
     * Brings home every datum whose latest version a worker keeps (or only the files), all moves under way at
     * once. At the end of the run the program's files must hold their versions; after a barrier the program may
     * read any result, even where no instrumented code sees it (through a container, by reflection).
     */
    void bringHome(boolean filesOnly) {
        if (away.get() == 0) {
            return;
        }
        List<DataHandle> handles = registry.away(filesOnly);
        for (DataHandle h : handles) {
            if (!h.homeWanted) {
                analyser.post(new AnalyserEvent.BringHome(h));
            }
        }
        for (DataHandle h : handles) {
            // A failed datum's failure is not reported here: a barrier throws it, the end of the run reports it.
            awaitQuiet(h, TOUCHED);
        }
    }

    /**
     * A wait that, once it has lasted {@code waitWarning}, says once on standard error what it waits for, with the
     * analyser's description of the tasks. Its owner calls {@link #check} while not holding a monitor the analyser
     * may take (the handle's, the task's, the in-flight counter's): it waits up to two seconds for the answer.
     */
    private final class LongWait {
        private final long start = nanoClock.getAsLong();
        private final String what;
        private final DataHandle handle;
        private final TaskNode task;
        private boolean warned;

        /** @param what what the thread waits for, after "has waited N s": "for object …", "at the end of main" */
        LongWait(String what, DataHandle handle, TaskNode task) {
            this.what = what;
            this.handle = handle;
            this.task = task;
        }

        void check() {
            if (warned || warnAfterNanos <= 0) {
                return;
            }
            long waited = nanoClock.getAsLong() - start;
            if (waited < warnAfterNanos) {
                return;
            }
            warned = true;
            CompletableFuture<List<String>> answer = new CompletableFuture<>();
            analyser.post(new AnalyserEvent.DescribeWait(handle, task, answer));
            List<String> tasks;
            try {
                tasks = answer.get(DESCRIBE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                tasks = List.of();
            } catch (ExecutionException | TimeoutException e) {
                tasks = List.of();
            }
            LOG.warn(WaitWarning.text(Thread.currentThread().getName(),
                    Math.round(waited / 1e9), what, tasks,
                    Thread.currentThread() == mainThread || Thread.currentThread() == exitHook,
                    ProcessHandle.current().pid(), advised.compareAndSet(false, true)));
        }
    }

    /** Waits on {@code monitor} (held by the caller) for at most a second. */
    void waitOn(Object monitor, String what) {
        try {
            monitor.wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /**
     * Waits until fewer than {@code limit} tasks are in flight.
     *
     * @param what what the thread waits for, for the warning after a long wait: "at the end of main"
     */
    void awaitInFlightBelow(int limit, String what) {
        LongWait wait = new LongWait(what, null, null);
        synchronized (inFlightLock) {
            waitingLimits.add(limit);
            wakeBelow = Math.max(wakeBelow, limit);
        }
        try {
            while (inFlight.get() >= limit) {
                checkAnalyser();
                if (Thread.currentThread() == exitHook && Signals.received() != null) {
                    // Told to stop while the exit hook waits (the program called System.exit, say): stop waiting.
                    sayStopped();
                    return;
                }
                synchronized (inFlightLock) {
                    if (inFlight.get() >= limit) {
                        waitOn(inFlightLock, "pending tasks");
                    }
                }
                wait.check();
            }
        } finally {
            synchronized (inFlightLock) {
                // Another thread may still wait for a lower count: keep waking for the highest limit still waited on.
                waitingLimits.remove(Integer.valueOf(limit));
                int highest = Integer.MIN_VALUE;
                for (int l : waitingLimits) { // a loop, not a stream: the end of a short run's main comes here
                    highest = Math.max(highest, l);
                }
                wakeBelow = highest;
            }
        }
    }

    /**
     * Waits for every task and brings every version home, then throws the first failure the program has not been
     * told of.
     */
    void barrier() {
        awaitInFlightBelow(1, "at Weft.barrier()");
        bringHome(false);
        TaskFailedException e = failures.reportFirstUnreported();
        if (e != null) {
            throw e;
        }
    }

    /** The result of a synchronous call (a primitive, a string, an array…), once its task ended. */
    Object awaitResult(TaskNode task) {
        if (!task.done) {
            boolean alone = unended.get() == 1;
            LongWait wait = new LongWait("for the result of " + task.name() + " (#" + task.id + ")", null, task);
            while (!task.done) {
                synchronized (task) {
                    task.waitedFor = true;
                    if (!task.done) {
                        checkAnalyser();
                        waitOn(task, "the result of " + task);
                    }
                }
                wait.check();
            }
            oneByOne.blocked(alone, new OneByOneWaits.Why.Synchronous(task.name(),
                    task.definition.method().getReturnType().getTypeName()));
        }
        if (task.failure != null) {
            throw report(task.failure);
        }
        if (task.result instanceof Encoded e) {
            return PayloadCodec.deserialize(e.bytes()); // on this thread, which waits for it anyway
        }
        if (task.result instanceof RemoteValue r) {
            // A large array, string or record the caller waits for: it stayed in its worker until now.
            WorkerGateway holder = gateways.apply(r.node());
            try {
                return holder.fetchObject(r).get(FETCH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching the result of " + task, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("worker " + holder.name() + " did not send the result of " + task
                        + " within " + FETCH_TIMEOUT_MILLIS + " ms");
            } finally {
                holder.forget(new long[] {r.key()});
            }
        }
        return task.result;
    }

    /**
     * Counts one use of a datum less. Called by the analyser when a task or a re-run ends or a datum comes home, and
     * by a submitter that gave up; the last use retires the handle (unless it carries a failure) and wakes threads
     * waiting for it.
     */
    void release(DataHandle h) {
        if (h.pending.decrementAndGet() == 0) {
            if (h.failure == null && h.pending.compareAndSet(0, -1)) {
                registry.remove(h);
                h.state = null;
            }
            if (h.waiting) {
                synchronized (h) {
                    h.notifyAll();
                }
            }
        }
    }

    /** A datum's latest version stays in a worker: it holds one use until it comes home. Analyser thread. */
    void wentAway(DataHandle h) {
        h.pending.incrementAndGet();
        away.incrementAndGet();
    }

    /** A datum that was away is home again (or failed): the use {@link #wentAway} took ends. Analyser thread. */
    void cameHome(DataHandle h) {
        away.decrementAndGet();
        h.homeWanted = false;
        release(h);
    }

    // ---------------------------------------------------------------- called by the analyser thread

    @Override
    public void useEnded(DataHandle handle) {
        release(handle);
    }

    @Override
    public void taskEnded(TaskNode task, Object result, TaskFailure failure, boolean ran, long runNanos) {
        unended.decrementAndGet();
        if (failure != null) {
            if (ran) {
                failures.add(failure);
            } else {
                failures.poisoned();
            }
        }
        for (Access a : task.accesses) {
            release(a.handle);
        }
        if (task.group != null) {
            task.group.taskEnded(failure == null || failure.ignored ? null : failure);
        }
        if (failure != null && ran && failure.taskId == task.id
                && task.definition.policy().onFailure() == io.weft.api.OnFailure.FAIL) {
            RunStop.taskFailed(failure);
        }
        if (task.definition.returns() == Placeholders.Kind.SYNCHRONOUS) {
            task.result = result;
            task.failure = failure;
            task.done = true;
            if (task.waitedFor) {
                synchronized (task) {
                    task.notifyAll();
                }
            }
        }
        statistics.ended(failure != null, runNanos);
        countEnded();
    }

    /** One task fewer in flight: wakes the threads waiting for fewer. */
    private void countEnded() {
        if (inFlight.decrementAndGet() < wakeBelow) {
            synchronized (inFlightLock) {
                inFlightLock.notifyAll();
            }
        }
    }

    @Override
    public void analyserFailed(Throwable error) {
        analyserFailure = error;
        LOG.error("weft: internal error in the analyser (on thread " + Thread.currentThread().getName()
                + "); the run cannot continue:", error);
    }

    @Override
    public void runFailed(String why) {
        runFailure = why;
        LOG.error("weft: error: " + why);
    }

    /** Whether the run cannot go on: every worker was lost. */
    boolean cannotGoOn() {
        return runFailure != null;
    }

    /** Throws if the analyser thread died, or the run cannot go on: waiting for it would wait for ever. */
    void checkAnalyser() {
        String why = runFailure;
        if (why != null) {
            throw new IllegalStateException(why);
        }
        Throwable e = analyserFailure;
        if (e != null) {
            throw new IllegalStateException("the Weft runtime failed: " + e, e);
        }
    }

    /** Marks a failure as told to the program and makes the exception that tells it. */
    TaskFailedException report(TaskFailure failure) {
        return failures.report(failure);
    }

    /** The JVM was told to stop ({@link Signals}) with tasks unfinished: say so, without waiting for them. */
    void sayStopped() {
        if (Signals.announced()) {
            return;
        }
        LOG.warn("weft: stopped by " + Signals.received() + " with " + inFlight.get() + " unfinished tasks");
    }
}
