package io.weft.runtime.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-process worker of local mode: one {@link ExecutorThread} per computing unit. An attempt may name the
 * executor that should run it (where its predecessor ran); idle executors steal, so none waits while work is
 * queued (see {@link ExecutorQueues}). No sockets and no copies beyond those a binding asks
 * for: tasks work on the program's own objects and files.
 *
 * <p>Lifecycle: threads start in the constructor's factory {@link #start}, and end after {@link #shutdown()} once
 * the queue is drained. Thread-safe.
 */
public final class LocalWorker implements WorkerGateway {
    private static final TaskExecution POISON = new TaskExecution(-1, "stop", null, null, null, -1, null, 0, -1, null);

    private final String name;
    private final ExecutorQueues queues;
    private final List<ExecutorThread> threads = new ArrayList<>();

    private final WorkerResources resources;

    private LocalWorker(String name, int executors, WorkerResources resources) {
        this.name = name;
        this.resources = resources;
        this.queues = new ExecutorQueues(executors, resources);
    }

    /**
     * Creates a worker and starts its executor threads.
     *
     * @param name the worker's name
     * @param executors how many executor threads to run: at most this many tasks run at once
     * @param resources the cores, GPUs and memory it hands out to the tasks it runs
     * @param listener receives every outcome
     */
    public static LocalWorker start(String name, int executors, WorkerResources resources,
            OutcomeListener listener) {
        LocalWorker worker = new LocalWorker(name, executors, resources);
        for (int i = 0; i < executors; i++) {
            JavaInvoker invoker = new JavaInvoker(name, i);
            int self = i;
            ExecutorThread t = new ExecutorThread(() -> worker.loop(self, invoker, listener),
                    "weft-executor-" + name + "-" + i);
            t.resources = resources;
            worker.threads.add(t);
        }
        worker.threads.forEach(Thread::start);
        return worker;
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
            TaskOutcome outcome;
            try {
                outcome = invoker.invoke(s.execution(), s.assignment());
            } finally {
                thread.held = null;
                thread.context = null;
            }
            // What it held is given back at the next take, in the same lock acquisition; the master may count it
            // free a moment early, which only means a task it sends waits that moment in the queue.
            previous = s.assignment();
            listener.completed(outcome);
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

    @Override
    public String name() {
        return name;
    }

    @Override
    public int computingUnits() {
        return threads.size();
    }

    @Override
    public void execute(TaskExecution execution) {
        queues.put(execution, execution.executorHint());
    }

    @Override
    public void shutdown() {
        for (int i = 0; i < threads.size(); i++) {
            queues.put(POISON, i);
        }
    }
}
