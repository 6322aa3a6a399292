package io.weft.runtime.worker.executor;

import io.weft.log.Log;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerResources;
import java.util.List;

/**
 * The executor pool inside every worker: up to one {@link ExecutorThread} per task slot, started as work arrives.
 * In local mode it is the master's in-process worker for a node, with no sockets and no copies beyond those a
 * binding asks for (tasks work on the program's own objects and files); in a worker process the endpoint queues on
 * it the tasks the master sends. An attempt may name the executor that should run it (where its predecessor ran);
 * idle executors steal, so none waits while work is queued (see {@link ExecutorQueues}).
 *
 * <p>Lifecycle: the first thread starts in the factory {@link #start}, the others as work arrives; all end after
 * {@link #shutdown()} once the queue is drained. Thread-safe.
 */
public final class ExecutorPool {
    private static final Log LOG = Log.of(ExecutorPool.class);
    /** Receives the outcome of every attempt; called on executor threads, so it must hand off and return quickly. */
    @FunctionalInterface
    public interface OutcomeListener {
        void completed(TaskOutcome outcome);
    }

    private static final TaskExecution POISON = new TaskExecution(-1, "stop", null, null, null, -1, null, 0, -1, null,
            null, false, 0, false);

    private final String name;
    private final ExecutorQueues queues;
    private final List<ExecutorThread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final WorkerResources resources;
    private final OutcomeListener listener;
    private final int executors;
    private final UndeclaredWriteCheck check;

    private ExecutorPool(String name, int executors, WorkerResources resources, OutcomeListener listener,
            UndeclaredWriteCheck check) {
        this.check = check;
        this.name = name;
        this.resources = resources;
        this.listener = listener;
        this.executors = executors;
        this.queues = new ExecutorQueues(executors, resources);
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
        ExecutorPool worker = new ExecutorPool(name, executors, resources, listener, check);
        worker.startExecutor(); // the first at once; the others as work arrives
        return worker;
    }

    /** Starts the next executor thread. Called by the constructor's caller and by {@link #execute}. */
    private void startExecutor() {
        int self = threads.size();
        JavaInvoker invoker = new JavaInvoker(name, self, check);
        ExecutorThread t = new ExecutorThread(() -> loop(self, invoker, listener), "weft-executor-" + name + "-" + self);
        t.resources = resources;
        threads.add(t);
        t.start();
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
                return;
            }
            if (s.execution() == POISON) {
                return;
            }
            thread.held = s.assignment();
            thread.context = null;
            thread.taskId = s.execution().taskId();
            TaskOutcome outcome;
            try {
                outcome = invoker.invoke(s.execution(), s.assignment());
            } finally {
                thread.held = null;
                thread.context = null;
                thread.taskId = -1;
            }
            // What it held is given back at the next take, in the same lock acquisition; the master may count it
            // free a moment early, which only means a task it sends waits that moment in the queue.
            previous = s.assignment();
            report(s, s.done() != null ? s.done() : listener, outcome);
        }
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
     * Queues an attempt. Called by one thread at a time (the master's analyser); when no executor was idle to take
     * it and fewer than the node's task slots run, one more executor starts.
     */
    public void execute(TaskExecution execution) {
        execute(execution, null);
    }

    /** As {@link #execute(TaskExecution)}; {@code done} receives this attempt's outcome ({@code null}: the pool's). */
    public void execute(TaskExecution execution, OutcomeListener done) {
        if (!queues.put(execution, done, execution.executorHint()) && threads.size() < executors) {
            startExecutor();
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
