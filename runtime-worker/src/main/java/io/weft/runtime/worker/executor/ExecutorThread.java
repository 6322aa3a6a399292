package io.weft.runtime.worker.executor;

import io.weft.api.spi.RuntimeThread;
import io.weft.runtime.worker.WorkerResources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

/**
 * A thread that executes tasks. Being a {@link RuntimeThread}, code on it never waits for pending data and task
 * calls it makes run inline.
 *
 * <p>It also holds what is needed to stop its running attempt from another thread (a deadline passed, the master
 * cancelled it): who owns the attempt's end is decided under this thread's monitor, once — the executor thread
 * when the attempt returns ({@link #end}), or the pool when it gives up on the thread ({@link #abandon}). An
 * abandoned thread reports nothing and takes no more work when, if ever, its task returns.
 */
final class ExecutorThread extends RuntimeThread {
    /** Returned by {@link #end} to an abandoned thread: its attempt was reported for it; it must stop. */
    static final Throwable ABANDONED = new Throwable("abandoned", null, false, false) { };

    /** What the running attempt holds, or {@code null} between attempts. Only this thread touches it. */
    Assignment held;
    WorkerResources resources;
    /** Made from {@link #held} when the task asks for it. */
    TaskContext context;
    /** The running attempt's task id, or -1 between attempts. Only this thread writes it. */
    volatile long taskId = -1;
    /** The task slot it serves: the index of its queue and its place in the pool. */
    final int slot;
    /** The pool it belongs to: it ends the processes of a stopped attempt. */
    final ExecutorPool pool;

    // Guarded by this.
    /** Counts the attempts it started: names one attempt for a stop that may arrive after it ended. */
    private long attempt;
    private boolean running;
    private boolean abandoned;
    /** Why it was asked to stop, or {@code null}. */
    private Stop stop;
    private List<Process> processes;
    private ExecutorQueues.Started started;
    private long startNanos;
    /** The attempt's copy of what it updates in place, when it keeps one. */
    private Snapshot snapshot;
    /** The attempt's deadline on the pool's timer, when it has a time limit. */
    private ScheduledFuture<?> deadline;

    ExecutorThread(Runnable loop, String name, int slot, ExecutorPool pool) {
        super(loop, name);
        this.slot = slot;
        this.pool = pool;
        setDaemon(true);
    }

    /**
     * Why an attempt is stopped from outside.
     *
     * @param timeout whether its time limit passed (else the master cancelled it)
     * @param what says which task and why, without how it ended: "task T (#3) exceeded its time limit of 1 s"
     */
    record Stop(boolean timeout, String what) {
        /** The failure an attempt stopped this way ends with; {@code own} (the task's exception) is its cause. */
        Exception failure(boolean abandoned, Throwable own) {
            String how = abandoned ? "it did not return within " + ExecutorPool.ABANDON_GRACE_MILLIS
                    + " ms of the interrupt, and its executor thread was abandoned"
                    : "it stopped on the interrupt";
            Exception e = timeout ? new TimeoutException(what + "; " + how) : new CancellationException(what + "; "
                    + how);
            if (own != null) {
                e.initCause(own);
            }
            return e;
        }
    }

    /** An attempt starts on this thread. This thread. */
    synchronized long begin(ExecutorQueues.Started s) {
        taskId = s.execution().taskId();
        started = s;
        startNanos = System.nanoTime();
        running = true;
        stop = null;
        processes = null;
        snapshot = null;
        deadline = null;
        return ++attempt;
    }

    /** The running attempt keeps this copy of what it updates in place. This thread. */
    synchronized void snapshot(Snapshot s) {
        snapshot = s;
    }

    synchronized void deadline(ScheduledFuture<?> d) {
        deadline = d;
    }

    /**
     * The attempt's task returned or threw. This thread.
     *
     * @return {@link #ABANDONED} if the pool gave up on this thread (its attempt was reported; the thread must
     *     stop), else why the attempt was stopped, or {@code null} if it was not
     */
    Throwable end(Throwable own) {
        Stop s;
        ScheduledFuture<?> d;
        synchronized (this) {
            if (abandoned) {
                return ABANDONED;
            }
            running = false;
            taskId = -1;
            s = stop;
            d = deadline;
            stop = null;
            processes = null;
            snapshot = null;
            deadline = null;
            started = null;
        }
        if (d != null) {
            d.cancel(false);
        }
        if (s == null) {
            return null;
        }
        Thread.interrupted(); // the stop's interrupt must not reach the next attempt
        return s.failure(false, own);
    }

    /** The name of the task it runs if that is the task with this id, else {@code null}. Any thread. */
    synchronized String runningName(long task) {
        return running && taskId == task && started != null ? started.execution().name() : null;
    }

    /** The attempt number if this thread runs an attempt at that task now, else -1. Any thread. */
    synchronized long attemptAt(long task) {
        return running && !abandoned && taskId == task ? attempt : -1;
    }

    /**
     * Asks the attempt to stop: interrupts this thread and answers the processes the attempt started, for the
     * caller to end.
     *
     * @return the processes, or {@code null} if that attempt is no longer running or was already asked to stop
     */
    synchronized List<Process> stop(long which, Stop why) {
        if (!running || abandoned || attempt != which || stop != null) {
            return null;
        }
        stop = why;
        interrupt();
        return processes == null ? List.of() : new ArrayList<>(processes);
    }

    /**
     * Gives up on an attempt that was asked to stop and has not returned: from now on the thread's attempt is the
     * pool's to report.
     *
     * @return the attempt, its stop, start and snapshot; or {@code null} if it ended meanwhile
     */
    synchronized Abandoned abandon(long which) {
        if (!running || abandoned || attempt != which) {
            return null;
        }
        abandoned = true;
        running = false;
        return new Abandoned(started, stop, startNanos, snapshot);
    }

    /** What the pool needs to report an attempt it gave up on. */
    record Abandoned(ExecutorQueues.Started started, Stop stop, long startNanos, Snapshot snapshot) {}

    /**
     * The running attempt started a process: it is ended with its descendants if the attempt is stopped. This
     * thread.
     *
     * @return whether the attempt is being stopped already, and the process must be ended at once
     */
    synchronized boolean processStarted(Process p) {
        if (!running) {
            return false;
        }
        if (processes == null) {
            processes = new ArrayList<>(2);
        }
        processes.add(p);
        return stop != null;
    }
}
