/**
 * The executor pool inside every worker, in-process (local mode) or in a worker process:
 * {@link io.weft.runtime.worker.executor.ExecutorPool} queues attempts ({@code ExecutorQueues}), gives each the
 * specific cores and GPUs it asked for, and runs it on one of its executor threads ({@code ExecutorThread}), where
 * {@code JavaInvoker} materialises its bindings, invokes the method and turns whatever happens into a
 * {@link io.weft.runtime.worker.TaskOutcome}. In check mode, {@code UndeclaredWriteCheck} compares what the task could
 * change before and after the call, and the outcome carries what it wrote without declaring it.
 *
 * <p>Threading: attempts are queued by one thread at a time (the master's analyser, or a worker process's intake
 * thread); each runs on an executor thread, which also calls the outcome listener. Task code on those threads asks
 * {@link io.weft.runtime.worker.executor.TaskContext#current()} what it holds. Only {@code ExecutorPool},
 * {@code TaskContext} and {@code UndeclaredWriteCheck} (which a worker process configures) are public: the rest is
 * this package's own.
 */
package io.weft.runtime.worker.executor;
