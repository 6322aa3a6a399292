package io.weft.runtime.worker.executor;

import io.weft.runtime.worker.ResourceDemand;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.WorkerResources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The queues of a worker's executor threads, and the cores and devices they hand out.
 *
 * <p>One queue per executor holds attempts that should run where their predecessor ran (its data is still in that
 * core's cache), and one shared queue holds the rest. An idle executor takes the first attempt whose demand fits
 * what is free now — from its own queue, then the shared one, then another executor's — and gets specific core
 * and GPU ids for it, which it gives back when the attempt ends. So no core idles while a fitting attempt waits,
 * and no two running attempts share a core or a device. In local mode an executor with nothing to do watches the
 * queues for a few tens of microseconds before it parks ({@link #spinForWork}).
 *
 * <p>Thread-safe; one lock, one condition per executor so a hand-off wakes exactly one thread.
 */
final class ExecutorQueues {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Queued> shared = new ArrayDeque<>();
    private final List<ArrayDeque<Queued>> local;
    private final Condition[] wakeUp;
    private final boolean[] idle;
    private int idleCount;
    private int queued;
    /** Executors watching the queues before they park ({@link #spinForWork}): they see what is queued meanwhile. */
    private int spinning;
    /** Of the {@link #spinning} executors, how many a put already counted on to take its attempt. */
    private int claimed;
    /** Counts the attempts ever queued; read without the lock by an executor watching for work. */
    private volatile long puts;
    /** How long an executor with nothing to do watches for work before it parks. */
    static final long SPIN_NANOS = 50_000;
    private final WorkerResources resources;
    private final BitSet freeCores = new BitSet();
    private final BitSet freeGpus = new BitSet();
    private long freeMemory;
    /** The assignment of one core and nothing else, per core: most tasks need no more, and need no allocation. */
    private final Assignment[] singleCore;
    private static final int[] NONE = new int[0];

    /** Whether an executor with nothing to do watches the queues a while before it parks ({@link #spinForWork}). */
    private final boolean spin;
    /** Work an executor does between two attempts before it looks at the queues ({@link #offerChore}), or null. */
    private Runnable chore;
    /** The executor woken for the {@link #chore}: the one that runs it. */
    private int choreFor = -1;

    ExecutorQueues(int executors, WorkerResources resources) {
        this(executors, resources, false);
    }

    /** @param spin whether an idle executor watches the queues for {@link #SPIN_NANOS} before it parks */
    ExecutorQueues(int executors, WorkerResources resources, boolean spin) {
        this.spin = spin;
        this.resources = resources;
        local = new ArrayList<>(executors);
        wakeUp = new Condition[executors];
        idle = new boolean[executors];
        for (int i = 0; i < executors; i++) {
            local.add(new ArrayDeque<>());
            wakeUp[i] = lock.newCondition();
        }
        freeCores.set(0, resources.cores());
        freeGpus.set(0, resources.gpus().size());
        freeMemory = resources.memoryBytes();
        singleCore = new Assignment[resources.cores()];
    }

    /** A queued attempt, and who is told its outcome ({@code null}: the pool's listener). */
    private record Queued(TaskExecution execution, ExecutorPool.OutcomeListener done) {}

    /** An attempt, the resources it holds, and who is told its outcome ({@code null}: the pool's listener). */
    record Started(TaskExecution execution, Assignment assignment, ExecutorPool.OutcomeListener done) {}

    /**
     * Queues an attempt, for executor {@code preferred} if it is one of ours, else for any executor.
     *
     * @return whether an idle executor was woken for it
     */
    boolean put(TaskExecution execution, int preferred) {
        return put(execution, null, preferred, false);
    }

    /**
     * As {@link #put(TaskExecution, int)}, with its own receiver of the outcome.
     *
     * @param bySelf whether the caller is executor {@code preferred} itself, between two attempts: with nothing else
     *     in its queue it takes this attempt next, and nobody is woken for it
     * @return whether an executor was woken for it, or will take it without being woken
     */
    boolean put(TaskExecution execution, ExecutorPool.OutcomeListener done, int preferred, boolean bySelf) {
        Queued q = new Queued(execution, done);
        lock.lock();
        try {
            queued++;
            puts++;
            if (preferred >= 0 && preferred < local.size()) {
                ArrayDeque<Queued> own = local.get(preferred);
                own.addLast(q);
                if (idle[preferred]) {
                    wake(preferred);
                    return true;
                }
                if (bySelf && own.size() == 1) {
                    return true;
                }
            } else {
                shared.addLast(q);
            }
            return wakeOneIdle();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a queued attempt at a task out of the queues, if it has not started.
     *
     * @return the attempt and who is told its outcome, or {@code null} if no attempt at that task waits here
     */
    Started withdraw(long taskId) {
        lock.lock();
        try {
            Queued q = remove(shared, taskId);
            for (int i = 0; q == null && i < local.size(); i++) {
                q = remove(local.get(i), taskId);
            }
            if (q == null) {
                return null;
            }
            queued--;
            return new Started(q.execution(), null, q.done());
        } finally {
            lock.unlock();
        }
    }

    private static Queued remove(ArrayDeque<Queued> queue, long taskId) {
        // From the back: the master asks for the attempts it sent last, which wait at the end.
        for (Iterator<Queued> it = queue.descendingIterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (q.execution().taskId() == taskId) {
                it.remove();
                return q;
            }
        }
        return null;
    }

    /**
     * Has an idle executor, {@code preferred} if it is idle, run {@code job} between two attempts, before it looks at
     * the queues again: a worker's intake prepares an attempt there and queues it for that executor, which then runs
     * it with no other thread woken. One job at a time, the same each time (it does whatever work is waiting when it
     * runs); only the executor woken for it runs it, so no other one puts it before its own queued attempt.
     *
     * @return whether an executor will run it (one was woken, or is already on its way to run it); if not, the caller
     *     runs it elsewhere
     */
    boolean offerChore(Runnable job, int preferred) {
        lock.lock();
        try {
            if (chore != null) {
                return chore == job;
            }
            int executor = idleExecutor(preferred);
            if (executor < 0) {
                return false;
            }
            chore = job;
            choreFor = executor;
            wake(executor);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes an idle executor for a queued attempt; or finds one watching the queues, which will see it. */
    private boolean wakeOneIdle() {
        int executor = idleExecutor(-1);
        if (executor >= 0) {
            wake(executor);
            return true;
        }
        if (spinning > claimed) {
            claimed++; // each watching executor answers for one attempt: for more, the pool may start executors
            return true;
        }
        return false;
    }

    /** An idle executor: {@code preferred} if it is idle, else the first; {@code -1} if none is. Under the lock. */
    private int idleExecutor(int preferred) {
        if (idleCount == 0) {
            return -1;
        }
        if (preferred >= 0 && preferred < idle.length && idle[preferred]) {
            return preferred;
        }
        for (int i = 0; i < idle.length; i++) {
            if (idle[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Wakes an idle executor and marks it busy at once, so the next hand-off wakes another one instead of
     * signalling this one twice (a lost wake-up would leave work queued while a core idles).
     */
    private void wake(int executor) {
        idle[executor] = false;
        idleCount--;
        wakeUp[executor].signal();
    }

    /**
     * Gives back what the executor's previous attempt held, then takes its next attempt that fits what is free,
     * with its resources; waits while there is none. One lock acquisition for both, as the executor's loop needs.
     *
     * @param previous what the executor's previous attempt held, or {@code null}
     */
    Started take(int self, Assignment previous) throws InterruptedException {
        lock.lock();
        try {
            if (previous != null) {
                giveBack(previous);
            }
            boolean spin = this.spin;
            boolean gaveBack = previous != null;
            while (true) {
                if (chore != null && choreFor == self) {
                    runChore();
                }
                Started s = takeFitting(local.get(self), self);
                if (s == null) {
                    s = takeFitting(shared, self);
                }
                for (int i = 1; s == null && i < local.size(); i++) {
                    s = takeFitting(local.get((self + i) % local.size()), self);
                }
                if (s != null) {
                    queued--;
                }
                if (gaveBack) {
                    // What it gave back may let queued attempts fit: as many idle executors as attempts still wait
                    // look again. Not before it took its own: the attempt it queued for itself wakes nobody. If it
                    // could take none, none fits for the others either.
                    if (s != null) {
                        wakeIdle(queued);
                    }
                    gaveBack = false;
                }
                if (s != null) {
                    return s;
                }
                if (spin) {
                    // Once per take, then look again (resources may have been given back meanwhile): work that
                    // does not fit stays queued, and the thread parks.
                    spinForWork();
                    spin = false;
                    continue;
                }
                idle[self] = true;
                idleCount++;
                try {
                    wakeUp[self].await();
                } finally {
                    if (idle[self]) { // woken by a spurious wake-up or an interrupt, not by wake()
                        idle[self] = false;
                        idleCount--;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs the chore this executor was woken for, with the lock let go; held again when it returns. */
    private void runChore() {
        Runnable job = chore;
        chore = null;
        choreFor = -1;
        lock.unlock();
        try {
            Thread.interrupted(); // a stray interrupt between two attempts must not reach the job's file reads
            job.run();
        } catch (Throwable e) {
            // The job catches what its parts throw; should anything escape, the executor must go on serving.
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
        } finally {
            Thread.interrupted(); // nor one the job left, the next attempt
            lock.lock();
        }
    }

    /**
     * Before it parks, an executor with nothing to do watches the queues for {@link #SPIN_NANOS} with the lock let go:
     * in the program's own JVM the task a finishing task releases (on another executor, or through the analyser) is
     * often only microseconds away, and waking a parked thread costs tens to hundreds of microseconds on a virtual
     * machine. Not in a worker process: its next task comes from the master, a network round trip away, and the
     * spin would only take a core from the processes beside it.
     *
     * <p>The lock is held again when it returns.
     */
    private void spinForWork() {
        long seen = puts;
        spinning++;
        lock.unlock();
        try {
            long until = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (puts == seen) {
                // The clock is read every 64 turns only.
                if ((++spins & 63) == 0 && System.nanoTime() >= until) {
                    return;
                }
                Thread.onSpinWait();
            }
        } finally {
            lock.lock();
            spinning--;
            claimed = Math.min(claimed, spinning);
        }
    }

    private Started takeFitting(ArrayDeque<Queued> queue, int self) {
        for (Iterator<Queued> it = queue.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            Assignment a = allocate(q.execution().demand(), self);
            if (a != null) {
                it.remove();
                return new Started(q.execution(), a, q.done());
            }
        }
        return null;
    }

    /** Specific ids for a demand, or {@code null} if it does not fit now. The executor's own core comes first. */
    private Assignment allocate(ResourceDemand demand, int self) {
        if (demand == null) { // the poison pill
            return new Assignment(NONE, NONE, 0);
        }
        if (demand == ResourceDemand.ONE_CORE) {
            int core = freeCores.get(self) ? self : freeCores.nextSetBit(0);
            if (core < 0) {
                return null;
            }
            freeCores.clear(core);
            if (singleCore[core] == null) {
                singleCore[core] = new Assignment(new int[] {core}, NONE, 0);
            }
            return singleCore[core];
        }
        if (freeCores.cardinality() < demand.cores()
                || freeMemory >= 0 && demand.memoryBytes() > freeMemory) {
            return null;
        }
        int[] gpus = new int[demand.gpus()];
        int found = 0;
        String name = demand.gpuName();
        boolean byName = !name.isEmpty() && resources.gpus().stream().anyMatch(g -> g.name().equalsIgnoreCase(name));
        for (int g = freeGpus.nextSetBit(0); g >= 0 && found < gpus.length; g = freeGpus.nextSetBit(g + 1)) {
            WorkerResources.Gpu gpu = resources.gpus().get(g);
            if ((gpu.memoryBytes() < 0 || gpu.memoryBytes() >= demand.gpuMemoryBytes())
                    && (!byName || gpu.name().equalsIgnoreCase(name))) {
                gpus[found++] = g;
            }
        }
        if (found < gpus.length) {
            return null;
        }
        int[] cores = new int[demand.cores()];
        int n = 0;
        if (freeCores.get(self)) {
            cores[n++] = self;
        }
        for (int c = freeCores.nextSetBit(0); n < cores.length; c = freeCores.nextSetBit(c + 1)) {
            if (c != self) {
                cores[n++] = c;
            }
        }
        java.util.Arrays.sort(cores);
        for (int c : cores) {
            freeCores.clear(c);
        }
        for (int g : gpus) {
            freeGpus.clear(g);
        }
        if (freeMemory >= 0) {
            freeMemory -= demand.memoryBytes();
        }
        return new Assignment(cores, gpus, demand.memoryBytes());
    }

    /** Gives back what an ended attempt held, and lets idle executors look again for attempts that now fit. */
    void release(Assignment a) {
        lock.lock();
        try {
            releaseLocked(a);
        } finally {
            lock.unlock();
        }
    }

    private void releaseLocked(Assignment a) {
        giveBack(a);
        wakeIdle(queued);
    }

    private void giveBack(Assignment a) {
        for (int c : a.coresUnsafe()) {
            freeCores.set(c);
        }
        for (int g : a.gpusUnsafe()) {
            freeGpus.set(g);
        }
        if (freeMemory >= 0) {
            freeMemory += a.memoryBytes();
        }
    }

    /** Wakes up to {@code n} idle executors, to look for attempts that now fit. */
    private void wakeIdle(int n) {
        for (int i = 0; i < idle.length && n > 0 && idleCount > 0; i++) {
            if (idle[i]) {
                wake(i);
                n--;
            }
        }
    }
}
