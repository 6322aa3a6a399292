package io.weft.runtime.master;

import io.weft.api.Direction;
import io.weft.api.UnschedulableTaskException;
import io.weft.api.spi.Intercept;
import io.weft.api.spi.TaskSites;
import io.weft.runtime.master.remote.RemoteWorkerGateway;
import io.weft.runtime.master.task.Placeholders;
import io.weft.runtime.worker.ProcessEnvironment;
import java.io.File;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application threads' side of a task call: resolves the call site's task once, counts the call's uses of data
 * in their handles, builds the {@link TaskNode} and posts it to the analyser. Waits only when too many tasks are
 * pending, for results held inside an array or collection argument, and for a synchronous call's result.
 *
 * <p>Threading: any application thread; the definitions cache is published through a volatile array.
 */
final class Submitter {
    private final DataRegistry registry;
    private final Synchroniser synchroniser;
    private final RunStatistics statistics;
    private final Analyser.Inbox analyser;
    private final Cluster cluster;
    private final int maxPending;
    /** Whether tasks run in this process, on the program's objects: else concurrent updates of one object are serialised. */
    private final boolean objectsShared;
    /** In check mode: one task in flight at a time, and the submitting thread waits for it. Else {@code null}. */
    private final Object oneAtATime;
    private final AtomicLong taskIds = new AtomicLong();
    private volatile TaskDefinition[] definitions = new TaskDefinition[64];
    private final PreparedTasks prepared;

    Submitter(DataRegistry registry, Synchroniser synchroniser, RunStatistics statistics, Analyser.Inbox analyser,
            Cluster cluster, int maxPending, boolean objectsShared) {
        this(registry, synchroniser, statistics, analyser, cluster, maxPending, objectsShared, false,
                new PreparedTasks());
    }

    /**
     * @param oneAtATime whether each task runs alone, the submitting thread waiting until it ended (check mode: a
     *     change in the working folder is then the running task's, and nothing of the program runs meanwhile)
     * @param prepared definitions resolved while the runtime started, taken the first time their call site is met
     */
    Submitter(DataRegistry registry, Synchroniser synchroniser, RunStatistics statistics, Analyser.Inbox analyser,
            Cluster cluster, int maxPending, boolean objectsShared, boolean oneAtATime, PreparedTasks prepared) {
        this.prepared = prepared;
        this.oneAtATime = oneAtATime ? new Object() : null;
        this.registry = registry;
        this.synchroniser = synchroniser;
        this.statistics = statistics;
        this.analyser = analyser;
        this.cluster = cluster;
        this.maxPending = maxPending;
        this.objectsShared = objectsShared;
    }

    /**
     * Submits a call to a task: counts its uses of data, posts it to the analyser, and returns the placeholder of
     * its result (or, for a synchronous call, waits for the result). Application thread.
     */
    Object submit(int site, Object receiver, Object[] args) {
        if (oneAtATime != null) {
            // Every thread's submission waits here until the task before it ended, so that only one task is ever in
            // flight: the check can blame what changed while it ran on that task.
            synchronized (oneAtATime) {
                try {
                    return submitAlone(site, receiver, args);
                } finally {
                    synchroniser.awaitInFlightBelow(1, "for the task before, which the check mode runs alone");
                }
            }
        }
        return submitAlone(site, receiver, args);
    }

    private Object submitAlone(int site, Object receiver, Object[] args) {
        synchroniser.checkAnalyser();
        TaskDefinition def = definition(site);
        if (synchroniser.inFlight() >= maxPending) {
            synchroniser.awaitInFlightBelow(maxPending * 3 / 4 + 1, "to submit a task, as " + maxPending
                    + " are in flight (maxPending)");
        }
        // Wait for results held in array or collection arguments first: once this call counts its own uses of
        // the data, waiting for one of them here would wait for this very task.
        for (Object a : args) {
            waitForContainedData(a);
        }
        // Before any use is counted: nothing to give back if this fails.
        byte[] encoded = encodedPlainArguments(args);
        Access[] accesses = new Access[args.length + 2];
        int count = 0;
        int receiverAccess = -1;
        int[] argumentAccess = new int[args.length];
        Object placeholder = null;
        int resultAccess = -1;
        TaskNode task;
        try {
            if (!def.isStatic()) {
                if (receiver == null) {
                    throw new NullPointerException("cannot call task " + def.name() + " on a null receiver");
                }
                receiverAccess = count;
                count = addAccess(accesses, count, receiver, def.receiver());
            }
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (isValue(a)) {
                    argumentAccess[i] = -1;
                    continue;
                }
                int before = count;
                int index = indexOf(accesses, count, a);
                count = addAccess(accesses, count, a, def.directions()[i]);
                argumentAccess[i] = index >= 0 ? index : before;
            }
            if (def.returns() == Placeholders.Kind.INSTANCE || def.returns() == Placeholders.Kind.PROXY) {
                placeholder = Placeholders.create(def.method().getReturnType(), def.returns());
                Access result = access(registry.acquireObject(placeholder), Mode.RESULT);
                resultAccess = count; // counted once made: running out of memory making it leaves no empty slot
                accesses[count++] = result;
            }
            Access[] exact = count == accesses.length ? accesses : Arrays.copyOf(accesses, count);
            task = new TaskNode(taskIds.incrementAndGet(), def, exact, args, argumentAccess, receiverAccess,
                    resultAccess, synchroniser.currentGroup());
        } catch (RuntimeException | Error e) {
            // Nothing was posted: give back the uses counted so far, or later uses of those data would wait forever.
            giveBack(accesses, count);
            throw e;
        }
        task.encodedArguments = encoded;
        // Its data are registered and it cannot run yet: a thread that hears from it, or from this one, from now
        // on sees the new count, and asks again for objects it found needing no wait.
        Intercept.countTaskCall();
        Group group = task.group;
        if (group != null) {
            group.submitted();
        }
        synchroniser.submitted();
        statistics.submitted();
        try {
            analyser.enqueue(task);
        } catch (RuntimeException | Error e) {
            // Not queued (the inbox ran out of memory making room for it): it will never end, so nothing may wait for
            // it — not a later use of its data, not a group's close, not the end of main; given back in the order an
            // end gives them back. The program hears the error.
            giveBack(accesses, count);
            if (group != null) {
                group.notPosted();
            }
            statistics.notPosted();
            synchroniser.notPosted();
            throw e;
        }
        analyser.wake();
        return def.returns() == Placeholders.Kind.SYNCHRONOUS ? synchroniser.awaitResult(task) : placeholder;
    }

    /** Gives back the uses of data a call counted and never posted, or later uses of those data would wait forever. */
    private void giveBack(Access[] accesses, int count) {
        for (int i = 0; i < count; i++) {
            synchroniser.release(accesses[i].handle);
        }
    }

    /**
     * The call's plain arguments serialised, for workers in other processes; {@code null} if tasks run here, if
     * there are none, or if they cannot be serialised (the gateway then tries again and fails the task, saying
     * why). Here, not on the analyser thread, which never serialises: plain values are immutable, so now is as good
     * as when the task is sent.
     */
    private byte[] encodedPlainArguments(Object[] args) {
        if (objectsShared) {
            return null;
        }
        int[] plain = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            plain[i] = isValue(args[i]) ? -1 : 0;
        }
        try {
            return RemoteWorkerGateway.encodePlainArguments(args, plain);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The definition of a call site's task, resolved once.
     *
     * @throws UnschedulableTaskException if no node of the run can ever run it (not cached: every call says so)
     */
    private TaskDefinition definition(int site) {
        TaskDefinition[] defs = definitions;
        if (site < defs.length && defs[site] != null) {
            return defs[site];
        }
        synchronized (this) {
            defs = definitions;
            if (site >= defs.length) {
                defs = Arrays.copyOf(defs, Math.max(site + 1, defs.length * 2));
            }
            if (defs[site] == null) {
                TaskDefinition def = prepared.take(site);
                if (def == null) {
                    def = TaskDefinition.resolve(TaskSites.get(site), ProcessEnvironment.VARIABLES);
                }
                defs[site] = def.withRunnable(cluster.runnable(def));
            }
            definitions = defs;
            return defs[site];
        }
    }

    private static int indexOf(Access[] accesses, int count, Object datum) {
        for (int i = 0; i < count; i++) {
            Object home = accesses[i].handle.home();
            if (home == datum || (datum instanceof Path || datum instanceof File) && home.equals(normalise(datum))) {
                return i;
            }
        }
        return -1;
    }

    /** Adds (or merges into an earlier access to the same datum) an access; returns the new access count. */
    private int addAccess(Access[] accesses, int count, Object datum, Direction direction) {
        boolean file = datum instanceof Path || datum instanceof File;
        DataHandle.Kind kind = file ? DataHandle.Kind.FILE : DataHandle.Kind.OBJECT;
        Mode mode = TaskDefinition.mode(direction, kind);
        if (!objectsShared && !file && (mode == Mode.CONCURRENT || mode == Mode.COMMUTATIVE)) {
            // Tasks in other processes cannot update one object in place together: one after the other instead.
            mode = Mode.UPDATE;
        }
        int existing = indexOf(accesses, count, datum);
        if (existing >= 0) {
            accesses[existing].mode = accesses[existing].mode.merge(mode);
            return count;
        }
        DataHandle handle = file ? registry.acquireFile(normalise(datum)) : registry.acquireObject(datum);
        accesses[count] = access(handle, mode);
        return count + 1;
    }

    /** An access through a handle whose use was just counted: the use is given back if making the access fails. */
    private Access access(DataHandle handle, Mode mode) {
        try {
            return new Access(handle, mode);
        } catch (RuntimeException | Error e) {
            synchroniser.release(handle);
            throw e;
        }
    }

    private static String normalise(Object file) {
        return DataRegistry.normalise(file instanceof File f ? f.toPath() : (Path) file);
    }

    /** Whether a runtime value is a plain value rather than data the runtime tracks. */
    static boolean isValue(Object o) {
        return o == null || o instanceof String || o instanceof Integer || o instanceof Long || o instanceof Double
                || o instanceof Float || o instanceof Boolean || o instanceof Character || o instanceof Short
                || o instanceof Byte || o instanceof Enum<?> || o instanceof Class<?> || o instanceof BigInteger
                || o instanceof BigDecimal;
    }

    /**
     * An array or collection passed to a task may hold results of tasks still running; the runtime does not
     * track data inside containers, so it waits for them here rather than let the task see unfinished values.
     */
    private void waitForContainedData(Object container) {
        if (container instanceof Object[] array) {
            for (Object o : array) {
                waitIfPending(o);
            }
        } else if (container instanceof Collection<?> c && !(container instanceof Proxy)) {
            if (registry.findObject(container) == null) {
                for (Object o : c) {
                    waitIfPending(o);
                }
            }
        }
    }

    private void waitIfPending(Object o) {
        if (o != null && !isValue(o) && registry.size() > 0) {
            synchroniser.use(o);
        }
    }
}
