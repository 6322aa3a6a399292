package io.weft.runtime.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The in-process worker of local mode: one {@link ExecutorThread} per computing unit, all taking attempts from one
 * queue, so an idle thread never waits behind a long task. No sockets and no copies beyond those a binding asks
 * for: tasks work on the program's own objects and files.
 *
 * <p>Lifecycle: threads start in the constructor's factory {@link #start}, and end after {@link #shutdown()} once
 * the queue is drained. Thread-safe.
 */
public final class LocalWorker implements WorkerGateway {
    private static final TaskExecution POISON = new TaskExecution(-1, "stop", null, null, null, -1, null, 0);

    private final String name;
    private final LinkedBlockingQueue<TaskExecution> queue = new LinkedBlockingQueue<>();
    private final List<ExecutorThread> threads = new ArrayList<>();

    private LocalWorker(String name) {
        this.name = name;
    }

    /**
     * Creates a worker and starts its executor threads.
     *
     * @param name the worker's name
     * @param computingUnits how many executor threads to run
     * @param listener receives every outcome
     */
    public static LocalWorker start(String name, int computingUnits, OutcomeListener listener) {
        LocalWorker worker = new LocalWorker(name);
        JavaInvoker invoker = new JavaInvoker(name);
        for (int i = 0; i < computingUnits; i++) {
            ExecutorThread t = new ExecutorThread(() -> worker.loop(invoker, listener), "weft-executor-" + i);
            worker.threads.add(t);
        }
        worker.threads.forEach(Thread::start);
        return worker;
    }

    private void loop(JavaInvoker invoker, OutcomeListener listener) {
        while (true) {
            TaskExecution e;
            try {
                e = queue.take();
            } catch (InterruptedException interrupted) {
                return;
            }
            if (e == POISON) {
                return;
            }
            listener.completed(invoker.invoke(e));
        }
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
        queue.add(execution);
    }

    @Override
    public void shutdown() {
        for (int i = 0; i < threads.size(); i++) {
            queue.add(POISON);
        }
    }
}
