package io.weft.runtime.master.gateway;

import io.weft.runtime.worker.ProcessEnvironment;
import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import io.weft.runtime.worker.WorkerResources;
import io.weft.runtime.worker.executor.ExecutorPool;
import io.weft.runtime.worker.executor.TaskContext;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The gateway to a worker in this process (local mode): tasks run on its executor threads, on the program's own
 * objects and files, so nothing is ever kept elsewhere, fetched or forgotten.
 *
 * <p>Threading: {@link #execute} by the thread holding the analyser's turn (the analyser thread, or one of these
 * executors between two attempts). An attempt's end is told on the executor thread that ran it; an attempt
 * withdrawn, or cancelled while still queued, is told on the calling thread; one abandoned at its time limit, on
 * the deadline timer's thread. Lifecycle: {@link #start}; the executors are daemon threads that end with the JVM.
 */
public final class InProcessGateway implements WorkerGateway {
    private final ExecutorPool worker;

    private InProcessGateway(String name, int executors, WorkerResources resources) {
        // Every attempt names its own receiver, so the pool's is never called.
        this.worker = ExecutorPool.startInProgram(name, executors, resources);
    }

    /**
     * Starts a worker in this process.
     *
     * @param executors at most this many tasks run at once, each on an executor thread started as work arrives
     * @throws IllegalArgumentException if the devices it would hand out do not fit the process's own allocation
     */
    public static InProcessGateway start(String name, int executors, WorkerResources resources) {
        String problem = TaskContext.allocationProblem(name, resources, ProcessEnvironment.VARIABLES);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new InProcessGateway(name, executors, resources);
    }

    @Override
    public String name() {
        return worker.name();
    }

    @Override
    public CompletableFuture<TaskOutcome> execute(TaskExecution execution) {
        CompletableFuture<TaskOutcome> f = new CompletableFuture<>();
        worker.execute(execution, f::complete);
        return f;
    }

    /**
     * Tells {@code reported} of the attempt's end directly, with no future in between: the future it replaces cost
     * 8–10% of the empty-task rate ({@code docs/performance.md}). An attempt here ends with an outcome, never an
     * error; it is told once.
     */
    @Override
    public void execute(TaskExecution execution, long[] keep,
            java.util.function.BiConsumer<TaskOutcome, Throwable> reported) {
        worker.execute(execution, new Reported(reported));
    }

    /** Tells an attempt's outcome on. A class rather than a lambda: the first task's call would spin one. */
    private static final class Reported implements ExecutorPool.OutcomeListener {
        private final java.util.function.BiConsumer<TaskOutcome, Throwable> reported;

        Reported(java.util.function.BiConsumer<TaskOutcome, Throwable> reported) {
            this.reported = reported;
        }

        @Override
        public void completed(TaskOutcome outcome) {
            reported.accept(outcome, null);
        }
    }

    @Override
    public CompletableFuture<Void> withdraw(long[] taskIds) {
        for (long id : taskIds) {
            worker.withdraw(id); // tells the attempt's receiver, as withdrawn, if it had not started
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void cancel(long[] taskIds) {
        for (long id : taskIds) {
            // Its receiver is told of a failure whose cause is a CancellationException, now or when it stops.
            worker.cancel(id);
        }
    }

    @Override
    public CompletableFuture<Object> fetchObject(RemoteValue value) {
        return CompletableFuture.failedFuture(new IllegalStateException("worker " + name()
                + " runs in this process and keeps nothing elsewhere"));
    }

    @Override
    public CompletableFuture<Path> fetchFile(RemoteFile file, Path into) {
        return CompletableFuture.failedFuture(new IllegalStateException("worker " + name()
                + " runs in this process and keeps nothing elsewhere"));
    }

    @Override
    public void forget(long[] keys) {
        // Nothing is kept: versions are the program's own objects and files.
    }

    @Override
    public void lose(String why) {
        // An in-process worker ends only with the process.
    }

    /**
     * Whether the calling thread is one of its executors, between two attempts: a thread that may take the
     * analyser's turn (it is a runtime thread, and runs nothing of the program's until it takes its next attempt).
     */
    @Override
    public ReportHandling reportHandling() {
        return worker.onOwnExecutorBetweenAttempts() ? ReportHandling.HANDLE : ReportHandling.POST;
    }

    /** Whether a task on one of its executors is inside {@code System.exit}: waiting for it would wait for ever. */
    public boolean executorIsExiting() {
        return worker.executorIsExiting();
    }
}
