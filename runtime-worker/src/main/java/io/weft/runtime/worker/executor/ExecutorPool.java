package io.weft.runtime.worker.executor;

import io.weft.log.Log;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerResources;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The executor pool inside every worker: up to one {@link ExecutorThread} per task slot, started as work arrives.
 * In local mode it is the master's in-process worker for a node, with no sockets and no copies beyond those a
 * binding asks for (tasks work on the program's own objects and files); in a worker process the endpoint queues on
 * it the tasks the master sends. An attempt may name the executor that should run it (where its predecessor ran);
 * idle executors steal, so none waits while work is queued (see {@link ExecutorQueues}).
 *
 * <p>Stopping a running attempt ({@link #cancel}, or its time limit passing): its executor thread is interrupted and
 * the processes the attempt started are ended with all their descendants (TERM, then KILL after
 * {@link #KILL_GRACE_MILLIS}). If the task has not returned {@link #ABANDON_GRACE_MILLIS} after the interrupt, the
 * pool gives up on the thread: it reports the attempt's failure at once, puts back what the attempt updates in place
 * (best-effort: the task may still change it), gives its cores and GPUs back and starts a new executor for the slot.
 * The abandoned thread, a daemon, reports nothing and takes no more work should it ever return. Deadlines and
 * graces run on one timer thread per pool, started the first time one is needed; an attempt without a time limit
 * costs nothing more.
 *
 * <p>Lifecycle: the first thread starts in the factory {@link #start}, the others as work arrives; all end after
 * {@link #shutdown()} once the queue is drained. Thread-safe.
 */
public final class ExecutorPool {
    private static final Log LOG = Log.of(ExecutorPool.class);
    /**
     * Receives the outcome of every attempt; called on executor threads, between two attempts: in a worker process
     * it hands off and returns quickly; in local mode it may do the analyser's work for a while (the executor then
     * runs the task that work released next).
     */
    @FunctionalInterface
    public interface OutcomeListener {
        void completed(TaskOutcome outcome);
    }

    /** How long a stopped attempt has to return after its interrupt before its executor thread is abandoned. */
    static final long ABANDON_GRACE_MILLIS = 1000;
    /** How long the processes of a stopped attempt have after TERM before they are killed. */
    static final long KILL_GRACE_MILLIS = 1000;

    private static final TaskExecution POISON = new TaskExecution(-1, "stop", null, null, null, -1, null, 0, -1, null,
            null, false, 0, false);

    private final String name;
    private final ExecutorQueues queues;
    private final List<ExecutorThread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final WorkerResources resources;
    private final OutcomeListener listener;
    private final int executors;
    private final UndeclaredWriteCheck check;
    /** Deadlines and graces; made the first time one is needed. */
    private volatile ScheduledThreadPoolExecutor timer;

    private ExecutorPool(String name, int executors, WorkerResources resources, OutcomeListener listener,
            UndeclaredWriteCheck check, boolean inProgram) {
        this.check = check;
        this.name = name;
        this.resources = resources;
        this.listener = listener;
        this.executors = executors;
        this.queues = new ExecutorQueues(executors, resources, inProgram);
    }

    /**
     * Creates a pool and starts its first executor thread.
     *
     * @param name the worker's name
     * @param executors how many executor threads to run: at most this many tasks run at once
     * @param resources the cores, GPUs and memory it hands out to the tasks it runs
     * @param listener receives the outcome of every attempt queued without a receiver of its own
     */
    public static ExecutorPool start(String name, int executors, WorkerResources resources,
            OutcomeListener listener) {
        return start(name, executors, resources, listener, UndeclaredWriteCheck.inWorkingFolder(null));
    }

    /**
     * As {@link #start(String, int, WorkerResources, OutcomeListener)}.
     *
     * @param check runs the check-mode test of the attempts that ask for it
     */
    public static ExecutorPool start(String name, int executors, WorkerResources resources,
            OutcomeListener listener, UndeclaredWriteCheck check) {
        return start(name, executors, resources, listener, check, false);
    }

    /**
     * The pool of a worker in the program's own JVM (local mode): an executor with nothing to do watches its queues
     * for a few tens of microseconds before it parks, as the task a finishing task releases is often that close.
     */
    public static ExecutorPool startInProgram(String name, int executors, WorkerResources resources) {
        return start(name, executors, resources, NoListener.INSTANCE, UndeclaredWriteCheck.inWorkingFolder(null),
                true);
    }

    // Classes rather than lambdas, here and for the executors' loops: a local run starts its pool while the JVM
    // interprets, where each lambda costs a class spun at run time.

    /** The pool's listener in the program's own JVM, where each attempt has a listener of its own. */
    private static final class NoListener implements OutcomeListener {
        static final NoListener INSTANCE = new NoListener();

        @Override
        public void completed(TaskOutcome outcome) {}
    }

    /** An executor thread's loop. */
    private final class Loop implements Runnable {
        private final int self;
        private final JavaInvoker invoker;
        private final OutcomeListener listener;

        Loop(int self, JavaInvoker invoker, OutcomeListener listener) {
            this.self = self;
            this.invoker = invoker;
            this.listener = listener;
        }

        @Override
        public void run() {
            loop(self, invoker, listener);
        }
    }

    private static ExecutorPool start(String name, int executors, WorkerResources resources,
            OutcomeListener listener, UndeclaredWriteCheck check, boolean inProgram) {
        ExecutorPool worker = new ExecutorPool(name, executors, resources, listener, check, inProgram);
        worker.startExecutor(); // the first at once; the others as work arrives
        return worker;
    }

    /** Starts the next executor thread. Called by the constructor's caller and by {@link #execute}. */
    private void startExecutor() {
        threads.add(newExecutor(threads.size(), ""));
        threads.get(threads.size() - 1).start();
    }

    private ExecutorThread newExecutor(int self, String suffix) {
        JavaInvoker invoker = new JavaInvoker(name, self, check);
        ExecutorThread t = new ExecutorThread(new Loop(self, invoker, listener),
                "weft-executor-" + name + "-" + self + suffix, self, this);
        t.resources = resources;
        return t;
    }

    /**
     * Hands an outcome on. The listeners turn what they cannot send into a failure of the attempt; should one
     * still throw, the attempt's report may be lost, and an executor thread that died of it would leave the master
     * waiting for ever: the process ends instead, and the master, seeing its worker gone, runs the attempt
     * elsewhere.
     */
    private void report(ExecutorQueues.Started s, OutcomeListener to, TaskOutcome outcome) {
        try {
            to.completed(outcome);
        } catch (Throwable t) {
            // In the program's own JVM, running out of memory ends the run as the master's handler says (status 3).
            io.weft.wire.OutOfMemory.check(t);
            LOG.error("weft worker " + name + ": cannot report the end of " + s.execution().name() + " ("
                    + t + "); leaving the run");
            Runtime.getRuntime().halt(70);
        }
    }

    private void loop(int self, JavaInvoker invoker, OutcomeListener listener) {
        ExecutorThread thread = (ExecutorThread) Thread.currentThread();
        Assignment previous = null;
        while (true) {
            ExecutorQueues.Started s;
            try {
                s = queues.take(self, previous);
            } catch (InterruptedException interrupted) {
                // Nothing stops an executor by interrupting it (the pool sends a poison pill): an interrupt here is
                // stray, and must not end the thread while the pool counts it as serving.
                previous = null; // given back before the wait
                continue;
            }
            if (s.execution() == POISON) {
                return;
            }
            thread.held = s.assignment();
            thread.context = null;
            long attempt = thread.begin(s);
            long timeout = s.execution().timeoutNanos();
            if (timeout > 0) {
                ExecutorThread.Stop why = new ExecutorThread.Stop(true, "task " + s.execution().name() + " (#"
                        + s.execution().taskId() + ") exceeded its time limit of " + duration(timeout));
                thread.deadline(timer().schedule(() -> stop(thread, attempt, why), timeout, TimeUnit.NANOSECONDS));
            }
            TaskOutcome outcome;
            try {
                outcome = invoker.invoke(s.execution(), s.assignment());
            } finally {
                thread.held = null;
                thread.context = null;
            }
            if (outcome == null) {
                return; // abandoned: its attempt was reported, its resources given back, its slot has a new thread
            }
            // A task may return with its thread's interrupt flag set (it interrupted itself, or kept an interrupt
            // that was not Weft's): it must not reach the runtime's work on this thread, nor the next attempt.
            Thread.interrupted();
            // What it held is given back at the next take, in the same lock acquisition; the master may count it
            // free a moment early, which only means a task it sends waits that moment in the queue.
            previous = s.assignment();
            report(s, s.done() != null ? s.done() : listener, outcome);
        }
    }

    private ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null) {
                    t = new ScheduledThreadPoolExecutor(1, r -> {
                        Thread d = new Thread(r, "weft-deadlines-" + name);
                        d.setDaemon(true);
                        return d;
                    });
                    t.setRemoveOnCancelPolicy(true);
                    timer = t;
                }
            }
        }
        return t;
    }

    /** A time limit as a person reads it: "1 s", "1.5 s", "250 ms". */
    static String duration(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos >= 1_000_000_000L) {
            return String.format(java.util.Locale.ROOT, "%.3f s", nanos / 1e9).replaceAll("0+ s$", " s");
        }
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms" : nanos + " ns";
    }

    /**
     * Stops an attempt: interrupts its thread, ends the processes it started, and gives it
     * {@link #ABANDON_GRACE_MILLIS} to return before abandoning the thread. Nothing if the attempt ended.
     */
    private void stop(ExecutorThread thread, long attempt, ExecutorThread.Stop why) {
        List<Process> processes = thread.stop(attempt, why);
        if (processes == null) {
            return;
        }
        endProcesses(processes);
        timer().schedule(() -> abandon(thread, attempt), ABANDON_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Ends processes with all their descendants: TERM now, KILL to those still alive after
     * {@link #KILL_GRACE_MILLIS}. The descendants are listed before anything is ended, while they are still
     * children of their parents.
     */
    void endProcesses(List<Process> processes) {
        if (processes.isEmpty()) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process p : processes) {
            ProcessHandle h = p.toHandle();
            h.descendants().forEach(tree::add);
            tree.add(h);
        }
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        timer().schedule(() -> {
            for (ProcessHandle h : tree) {
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
        }, KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The attempt did not return after its interrupt: reports its failure now, puts back what it updates in place,
     * gives back its cores and GPUs, and starts a new executor for its slot.
     */
    private void abandon(ExecutorThread thread, long attempt) {
        ExecutorThread.Abandoned a = thread.abandon(attempt);
        if (a == null) {
            return;
        }
        ExecutorQueues.Started s = a.started();
        LOG.warn("weft worker " + name + ": " + a.stop().what() + " and did not return within "
                + ABANDON_GRACE_MILLIS + " ms of the interrupt; its executor thread " + thread.getName()
                + " is abandoned and a new one takes its place");
        Throwable error = a.stop().failure(true, null);
        if (a.snapshot() != null) {
            JavaInvoker.restored(a.snapshot(), error); // best-effort: the task may still be changing it
            if (!a.snapshot().isEmpty()) {
                // So the task is neither tried again nor its failure ignored on data it may still be changing.
                error.addSuppressed(new io.weft.runtime.worker.InputsNotRestoredException("the task did not stop"
                        + " when interrupted and may still change what it updates in place; it was put back as"
                        + " it was before the attempt, but that cannot be relied on"));
            }
        }
        queues.release(s.assignment());
        ExecutorThread replacement = newExecutor(thread.slot, "-" + attempt);
        threads.set(thread.slot, replacement);
        replacement.start();
        long now = System.nanoTime();
        TaskOutcome outcome = new TaskOutcome(s.execution().taskId(), null,
                new Object[s.execution().bindings().length], error, name, thread.slot, a.startNanos(), now,
                s.assignment().coresUnsafe(), s.assignment().gpusUnsafe());
        report(s, s.done() != null ? s.done() : listener, outcome);
    }

    /**
     * Cancels an attempt at a task: one still queued is taken out; a running one is stopped as for a time limit
     * (interrupt, its processes ended, its thread abandoned if it does not return). Either way its outcome is a
     * failure whose cause is a {@link CancellationException}, told to its receiver (or the pool's listener).
     * Nothing if no attempt at that task is here (it ended, or has not arrived).
     *
     * @return whether an attempt at that task was queued or running here
     */
    public boolean cancel(long taskId) {
        ExecutorQueues.Started s = queues.withdraw(taskId);
        if (s != null) {
            report(s, s.done() != null ? s.done() : listener, TaskOutcome.notRun(s.execution(),
                    new CancellationException("task " + s.execution().name() + " (#" + taskId
                            + ") was cancelled before it started"), name));
            return true;
        }
        for (ExecutorThread t : threads) {
            String running = t.runningName(taskId);
            long attempt = t.attemptAt(taskId);
            if (attempt >= 0) {
                stop(t, attempt, new ExecutorThread.Stop(false, "task " + running + " (#" + taskId
                        + ") was cancelled"));
                return true;
            }
        }
        return false;
    }

    /**
     * Has an idle executor, {@code preferred} if it is idle, run {@code job} between two attempts, before it takes its
     * next one: an attempt the job queues for the calling executor ({@link #callerSlot}) then runs on that thread,
     * with no other thread woken. One job at a time, the same each time.
     *
     * @return whether an executor will run it; if not (none is idle), the caller runs it elsewhere
     */
    public boolean runOnIdleExecutor(Runnable job, int preferred) {
        return queues.offerChore(job, preferred);
    }

    /** Whether the calling thread is one of this pool's executors, between two attempts. */
    public boolean onOwnExecutorBetweenAttempts() {
        return ownExecutorBetweenAttempts() != null;
    }

    /**
     * The slot of the calling thread if it is one of this pool's executors, between two attempts, else -1: an attempt
     * queued with it as its executor hint runs next on that thread, with nobody woken.
     */
    public int callerSlot() {
        ExecutorThread self = ownExecutorBetweenAttempts();
        return self == null ? -1 : self.slot;
    }

    /** The calling thread if it is one of this pool's executors, between two attempts; else {@code null}. */
    private ExecutorThread ownExecutorBetweenAttempts() {
        return Thread.currentThread() instanceof ExecutorThread t && t.pool == this && t.taskId < 0 ? t : null;
    }

    /** Whether a task on one of the executors is inside {@code System.exit} (or {@code Runtime.exit}/{@code halt}). */
    public boolean executorIsExiting() {
        for (ExecutorThread t : threads) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals("java.lang.Shutdown")
                        || frame.getClassName().equals("java.lang.Runtime") && frame.getMethodName().equals("exit")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The pool's name: its node's, in messages and thread names. */
    public String name() {
        return name;
    }

    /** How many tasks it runs at once. */
    public int computingUnits() {
        return executors;
    }

    /**
     * Queues an attempt: any thread (the master's analyser or an executor thread handling its work in local mode; a
     * worker process's intake, on its thread or on an executor between two attempts, or the executor that ended the
     * attempt a task sent ahead waited for). When no executor was idle to take it and fewer than the node's task
     * slots run, one more executor starts.
     */
    public void execute(TaskExecution execution) {
        execute(execution, null);
    }

    /** As {@link #execute(TaskExecution)}; {@code done} receives this attempt's outcome ({@code null}: the pool's). */
    public void execute(TaskExecution execution, OutcomeListener done) {
        int hint = execution.executorHint();
        // An executor that handles the end of its own attempt (local mode) queues the task it released for itself.
        ExecutorThread self = ownExecutorBetweenAttempts();
        boolean bySelf = self != null && self.slot == hint;
        if (!queues.put(execution, done, hint, bySelf) && threads.size() < executors) {
            synchronized (threads) { // in a worker process, the intake and an executor may both queue
                if (threads.size() < executors) {
                    startExecutor();
                }
            }
        }
    }

    /**
     * Gives back an attempt at a task that waits for an executor and has not started: it will not run here. Its
     * own receiver, if it was queued with one, is told so ({@link TaskOutcome#withdrawn}); the pool's listener is
     * not (the caller reports it).
     *
     * @return whether an attempt at that task was waiting, and is withdrawn
     */
    public boolean withdraw(long taskId) {
        ExecutorQueues.Started s = queues.withdraw(taskId);
        if (s == null) {
            return false;
        }
        if (s.done() != null) {
            s.done().completed(TaskOutcome.withdrawn(s.execution(), name));
        }
        return true;
    }

    /** Stops the executor threads once the queued attempts are done. */
    public void shutdown() {
        for (int i = 0; i < threads.size(); i++) {
            queues.put(POISON, i);
        }
    }
}
