package io.weft.runtime.worker;

/**
 * How the master reaches a worker. In local mode the gateway is the in-process
 * {@link io.weft.runtime.worker.executor.ExecutorPool}; a worker process is reached through the same interface.
 *
 * <p>Methods return at once; outcomes come back through the {@link OutcomeListener} the gateway was created with.
 */
public interface WorkerGateway {
    /** The worker's name, as used in placement records and messages. */
    String name();

    /** How many tasks the worker runs at once. */
    int computingUnits();

    /** Queues an attempt for execution. */
    void execute(TaskExecution execution);

    /** Stops the worker's threads once the queued attempts are done. */
    void shutdown();

    /** Receives the outcome of every attempt; called on worker threads, so it must hand off and return quickly. */
    @FunctionalInterface
    interface OutcomeListener {
        void completed(TaskOutcome outcome);
    }
}
