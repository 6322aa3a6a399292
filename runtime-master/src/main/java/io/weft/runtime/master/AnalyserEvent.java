package io.weft.runtime.master;

import io.weft.runtime.worker.TaskOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the analyser thread is told, through its {@link Analyser.Inbox}: a new task ({@link TaskNode} itself), an
 * attempt's outcome, a lost worker, a datum the program asks for, a version that arrived home, a question from a
 * thread that has waited long. Immutable once posted (a task node is handed over whole).
 */
sealed interface AnalyserEvent permits TaskNode, AnalyserEvent.Completed, AnalyserEvent.NodeLost,
        AnalyserEvent.BringHome, AnalyserEvent.HomeArrived, AnalyserEvent.WithdrawAnswered,
        AnalyserEvent.NodeServes, AnalyserEvent.Dropped, AnalyserEvent.DescribeWait, AnalyserEvent.CancelGroup {
    /**
     * An attempt ended, as its worker reports it.
     *
     * @param attempt which attempt at the task it reports, from 1: a report from a lost worker's attempt may come
     *     after the task was sent elsewhere, under the same task id
     */
    record Completed(TaskOutcome outcome, int attempt) implements AnalyserEvent {}

    /** The program cancelled a task group: its running tasks, and those of groups nested in it, are cancelled. */
    record CancelGroup(Group group) implements AnalyserEvent {}

    /** The worker of the node with this index was lost. */
    record NodeLost(int node, String why) implements AnalyserEvent {}

    /** The program waits for a datum whose latest version a worker may keep: move it home. */
    record BringHome(DataHandle handle) implements AnalyserEvent {}

    /**
     * A version started home arrived: {@code value} is the object, or the path of the file fetched beside the
     * program's; or it could not be fetched ({@code error}).
     */
    record HomeArrived(DataHandle handle, Version version, Object value, RuntimeException error)
            implements AnalyserEvent {}

    /**
     * The worker of node {@code from} answered a request to give back queued tasks for node {@code to}: those it
     * gave back were reported withdrawn before this.
     *
     * @param asked how many tasks the request named
     */
    record WithdrawAnswered(int from, int to, int asked) implements AnalyserEvent {}

    /** The worker process of the node with this index started and serves, behind {@code gateway}. */
    record NodeServes(int node, io.weft.runtime.master.gateway.WorkerGateway gateway) implements AnalyserEvent {}

    /** The program dropped the object of a datum the registry knew (its latest version may be away). */
    record Dropped(DataHandle handle) implements AnalyserEvent {}

    /**
     * A thread has waited long: which unfinished tasks it waits for and what each is doing, one line each. It waits
     * for the tasks that use {@code handle} if there is one, else for {@code task} if there is one, else for every
     * task in flight.
     */
    record DescribeWait(DataHandle handle, TaskNode task, CompletableFuture<List<String>> answer)
            implements AnalyserEvent {}
}
