package io.weft.runtime.master.gateway;

import io.weft.runtime.worker.TaskExecution;
import io.weft.runtime.worker.TaskOutcome;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * How the master reaches one worker, whether it runs in this process ({@link InProcessGateway}) or in another
 * ({@code remote.RemoteWorkerGateway}): the only way the master talks to a worker. Nothing outside the remote
 * implementation knows a worker is remote.
 *
 * <p>Every method returns at once. What takes time (a task, a transfer) completes a future (or, for an attempt, tells
 * its callback: {@link #execute(TaskExecution, long[], java.util.function.BiConsumer)}) on a thread of the gateway's
 * own (an executor, an event loop, the codec thread); only what fails at once (a worker already lost) completes on
 * the caller's. A caller that must not block (the analyser) hands each completion back to its own thread. Futures
 * of a worker that is lost complete exceptionally with a {@link WorkerLostException}, as soon as the loss is known.
 *
 * <p>Threading: {@link #execute}, {@link #cancel}, {@link #forget} and the fetches are called by the analyser thread (fetches also
 * by application threads); {@link #lose} by whoever notices the loss.
 */
public interface WorkerGateway {
    /** The worker's name, as used in placement records and messages. */
    String name();

    /**
     * Queues an attempt at a task. The future completes with the attempt's outcome, which carries a task's failure
     * as a value (a task that throws, an argument that cannot be sent); it completes exceptionally only if the
     * worker is lost, with the reason.
     */
    CompletableFuture<TaskOutcome> execute(TaskExecution execution);

    /**
     * Whether this worker takes tasks ahead: a task whose inputs an attempt sent there has not produced yet, which
     * waits there for that attempt's end and starts then, with no round trip through the master. Only a worker in
     * another process does; it reports the producer's end first.
     */
    default boolean takesTasksAhead() {
        return false;
    }

    /**
     * As {@link #execute(TaskExecution)}, where the bindings may name {@link KeptAhead} inputs (the task waits there
     * for them), and the objects the attempt writes may be kept there for tasks sent ahead of its end.
     *
     * @param keep for each binding, the key under which the worker keeps the object the attempt writes there even
     *     if it sends it back inline, or 0; {@code null} for none
     */
    default CompletableFuture<TaskOutcome> execute(TaskExecution execution, long[] keep) {
        return execute(execution);
    }

    /**
     * As {@link #execute(TaskExecution, long[])}, telling {@code reported} once what the future completes with: on
     * the thread that completes it, or at once on the calling thread if it already has (a worker already lost).
     */
    default void execute(TaskExecution execution, long[] keep,
            java.util.function.BiConsumer<TaskOutcome, Throwable> reported) {
        execute(execution, keep).whenComplete(reported);
    }

    /**
     * An attempt sent ahead will not be reported: the worker dropped it, as the attempt it waited for ended without
     * producing its input (the analyser takes it back). Forgets it here.
     */
    default void droppedAhead(long taskId) {}

    /**
     * Fetches an object version this worker keeps, as a new object of this process.
     *
     * @return completes with the object, or exceptionally if the worker is lost, cannot send it, or stops sending
     */
    CompletableFuture<Object> fetchObject(RemoteValue value);

    /**
     * As {@link #fetchObject(RemoteValue)}, keeping the bytes the object arrives as in {@code keep}, for lineage: a
     * task that read this version can run again on them after the program changed the object. A worker in this
     * process sends no bytes, and keeps nothing.
     */
    default CompletableFuture<Object> fetchObject(RemoteValue value, VersionBytes keep) {
        return fetchObject(value);
    }

    /**
     * Fetches a file version this worker keeps into {@code into} (made or replaced).
     *
     * @return completes with {@code into} once the whole file is there, or exceptionally as {@link #fetchObject}
     */
    CompletableFuture<Path> fetchFile(RemoteFile file, Path into);

    /**
     * Asks the worker to give back attempts at these tasks that it has queued and not started. The future (or
     * callback) of each attempt given back is told {@link TaskOutcome#withdrawn} before the returned future
     * completes; the others run as sent.
     *
     * @return completes once the worker has answered (exceptionally if it is lost)
     */
    CompletableFuture<Void> withdraw(long[] taskIds);

    /**
     * Cancels the attempts at these tasks: one the worker has queued is taken out, one running is interrupted, the
     * processes it started are ended with their descendants, and its executor thread is abandoned if it does not
     * return within a grace. The future (or callback) of each attempt found is told a failed outcome whose error is a
     * {@link java.util.concurrent.CancellationException}; an attempt that ended meanwhile (or has not reached the
     * executors) is told as it ends. Fire and forget.
     */
    void cancel(long[] taskIds);

    /** The worker may drop these versions: no one needs them any more. Fire and forget. */
    void forget(long[] keys);

    /**
     * The worker is gone: its pending futures fail with {@code why}, and later calls fail at once. Outcomes still
     * on their way are dropped (the analyser, told of the loss, sends the attempts elsewhere).
     */
    void lose(String why);

    /**
     * Whether the calling thread, which has just completed an attempt's future, may take the analyser's turn and
     * handle that end itself, and when: then no thread is woken between a task's end and the dispatch of the task
     * it released. Only a runtime thread that neither blocks on the analyser nor runs the program's code now may.
     */
    default ReportHandling reportHandling() {
        return ReportHandling.POST;
    }

    /** Who handles the end of an attempt, as the thread that completed its future sees it. */
    enum ReportHandling {
        /** The analyser thread (or whichever thread holds the turn): this thread only posts the end. */
        POST,
        /**
         * This thread, if no other holds the turn: an executor of this process between two attempts, which then
         * runs the task it released next.
         */
        HANDLE,
        /**
         * This thread, only instead of waking a parked analyser thread (an awake one handles ends in bulk): the
         * event loop that read a worker's report, which then writes what that releases for its worker at once.
         */
        HANDLE_IF_ANALYSER_PARKED
    }
}
