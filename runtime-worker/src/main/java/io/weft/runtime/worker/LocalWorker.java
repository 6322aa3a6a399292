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
    private static final TaskExecution POISON = new TaskExecution(-1, "stop", null, null, null, -1, null, 0, -1);

    private final String name;
    private final ExecutorQueues queues;
    private final List<ExecutorThread> threads = new ArrayList<>();

    private LocalWorker(String name, int computingUnits) {
        this.name = name;
        this.queues = new ExecutorQueues(computingUnits);
    }

    /**
     * Creates a worker and starts its executor threads.
     *
     * @param name the worker's name
     * @param computingUnits how many executor threads to run
     * @param listener receives every outcome
     */
    public static LocalWorker start(String name, int computingUnits, OutcomeListener listener) {
        LocalWorker worker = new LocalWorker(name, computingUnits);
        for (int i = 0; i < computingUnits; i++) {
            JavaInvoker invoker = new JavaInvoker(name, i);
            int self = i;
            ExecutorThread t = new ExecutorThread(() -> worker.loop(self, invoker, listener), "weft-executor-" + i);
            worker.threads.add(t);
        }
        worker.threads.forEach(Thread::start);
        return worker;
    }

    private void loop(int self, JavaInvoker invoker, OutcomeListener listener) {
        while (true) {
            TaskExecution e;
            try {
                e = queues.take(self);
            } catch (InterruptedException interrupted) {
                return;
            }
            if (e == POISON) {
                return;
            }
            listener.completed(invoker.invoke(e));
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
