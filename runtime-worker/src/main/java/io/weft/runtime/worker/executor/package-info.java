/**
 * The executor pool inside every worker, in-process (local mode) or in a worker process:
 * {@link io.weft.runtime.worker.executor.ExecutorPool} queues attempts ({@code ExecutorQueues}), gives each the
 * specific cores and GPUs it asked for, and runs it on one of its executor threads ({@code ExecutorThread}), where
 * {@code JavaInvoker} materialises its bindings, invokes the method and turns whatever happens into a
 * {@link io.weft.runtime.worker.TaskOutcome}. In check mode, {@code UndeclaredWriteCheck} compares what the task could
 * change before and after the call, and the outcome carries what it wrote without declaring it.
 *
 * <p>An attempt with a time limit, or one the master cancels, is stopped from outside: its executor thread is
 * interrupted, the processes it started ({@code TaskContext.processStarted}) are ended with their descendants,
 * and a thread that does not return within a grace is abandoned and replaced ({@code ExecutorThread} decides,
 * under its monitor, whether the thread or the pool reports the attempt).
 *
 * <p>Threading: attempts are queued by the master's analyser (or an executor doing its work) in local mode, and in a
 * worker process by its intake (on its own thread, or on an idle executor woken for it between two attempts) and by
 * an executor releasing a task sent ahead; each runs on an executor thread, which also calls the outcome listener —
 * or, for an attempt stopped from outside and abandoned, the pool's timer thread (one per pool, started the first
 * time one is needed). Task code on those threads asks
 * {@link io.weft.runtime.worker.executor.TaskContext#current()} what it holds. Only {@code ExecutorPool},
 * {@code TaskContext} and {@code UndeclaredWriteCheck} (which a worker process configures) are public: the rest is
 * this package's own.
 */
package io.weft.runtime.worker.executor;
