package io.weft.runtime.master;

import java.util.ArrayList;
import java.util.List;

/**
 * A submitted task: what to run, the data it uses, and its place in the graph.
 *
 * <p>Built by the submitting application thread, then owned by the analyser thread, except the completion fields
 * at the end, which an application thread waiting for a synchronous result reads under the node's monitor.
 */
final class TaskNode implements AnalyserEvent {
    final long id;
    final TaskDefinition definition;
    final Access[] accesses;
    final Object[] arguments;
    final int[] argumentAccess;
    final int receiverAccess;
    final int resultAccess;
    final Group group;
    /** The plain-value arguments serialised by the submitting thread, for workers in other processes; or null. */
    byte[] encodedArguments;

    // Graph state (analyser thread).
    int waitingOn;
    ArrayList<TaskNode> successors;
    TaskFailure doomedBy;
    boolean finished;
    /** Attempts sent, the one out now included: its number; reports name it (see {@link #skippedAttempts}). */
    int attempts;
    /**
     * Attempts sent ahead across workers and taken back before they counted: their numbers are not used again (their
     * worker may still report them), but they are no attempts for the failure policy, messages or the placement
     * record ({@link #attemptsMade}).
     */
    int skippedAttempts;
    /** Its identity in the checkpoint journal (hex), or {@code null}: none, or no checkpoint. Analyser thread. */
    String identity;
    /**
     * Whether a version it reads was not written as its identity assumed (its writer failed or was skipped): then
     * it is neither saved nor replayed, and what it writes has no identity either. Analyser thread.
     */
    boolean tainted;
    /** The failures of its earlier attempts, oldest first, when it was tried again; else {@code null}. */
    List<TaskFailure> earlierAttempts;
    /** The executor that ran the task whose end released this one, or {@code -1}. */
    int executorHint = -1;
    /** The node whose executor {@link #executorHint} names, or {@code -1}. */
    int hintNode = -1;
    /** Its place in the ready queue's order (see {@link ReadyQueue}). */
    long readyOrder;
    /** Its critical-path rank, for the policies that order by it ({@link CriticalPath}, {@link ReadyQueue}). */
    long rank;
    /**
     * Whether it waits in the ready queue among the tasks nothing waits for ({@link ReadyQueue}): a task called
     * since that reads what it writes moves it among the ranked ones ({@link TaskGraph#onLeading}). An entry of
     * it among those tasks while this is false is stale, and dropped when it comes first.
     */
    boolean queuedLeaf;
    /** Scratch of {@link CriticalPath}: the rank computation that last looked at it, and what it found. */
    long rankStamp;
    long rankMemo;
    /** The node held back for it while it waits for resources there, or {@code null}. */
    WorkerNode reserved;
    /** Where and how it runs, once placed. */
    WorkerNode node;
    /**
     * While it is sent ahead — to the node of a task it waits for, where it starts when the tasks it waits for have
     * ended, with no round trip through the master — those of them whose ends the master has not handled yet; else
     * {@code null}. Such a task takes no task slot until then.
     */
    java.util.ArrayList<TaskNode> behind;
    /**
     * Whether, sent ahead, it may start before the master has handled the end of a task it waits for on another
     * worker, or behind a task held so: its written inputs are copies, and taking it back leaves its number used.
     */
    boolean startsEarly;
    /**
     * Its worker's report of the attempt sent ahead, when it came before the master handled the end of each task it
     * waited for (those on other nodes report over other connections): handled once they are.
     */
    AnalyserEvent.Completed earlyEnd;
    /** The tasks sent ahead behind this one's end, while it has not ended; else {@code null}. */
    java.util.ArrayList<TaskNode> ahead;
    /** Set if sending it ahead failed: it goes the usual way. */
    boolean neverAhead;
    /**
     * Scratch of {@link Analyser}'s walk over the tasks behind a task sent: the walk that last came here, at what
     * depth, and how many tasks had been sent ahead by then.
     */
    long aheadWalk;
    int aheadWalkDepth;
    long aheadWalkSent;
    /** When the current attempt was sent to {@link #node}, by the analyser's clock. */
    long sentNanos;
    Implementation implementation;
    /**
     * The index of the node this task was withdrawn from (it waited there while another node idled), which it is
     * not sent back to; {@code -1} if none.
     */
    int withdrawnFrom = -1;
    /** Whether its node was asked to give it back (it may have started meanwhile). */
    boolean withdrawAsked;
    /**
     * Whether its running attempt was cancelled (its group failed or was cancelled): a failed outcome then ends it
     * as skipped, not as a failure of its own, and it is never tried again.
     */
    boolean cancelRequested;
    /** The file this attempt updates in place (no private copy), or {@code null}: it cannot simply run again. */
    String updatesFileInPlace;
    /** The workers lost while they ran this task ("name (why)"): each loss counts as an attempt. */
    ArrayList<String> lostWith;
    /** How often it moved, unstarted, off a lost worker: free, up to a few times. */
    int freeMoves;
    /** How often an attempt failed fetching an input from a worker that was being lost: sent again, a few times. */
    int fetchRetries;

    // Lineage (see Lineage), analyser thread.
    /** For a re-run that makes lost versions again: the finished task it repeats; else {@code null}. */
    TaskNode rerunOf;
    /** For a re-run: who waits for it — tasks and re-runs ({@link TaskNode}), moves home ({@link Lineage.Home}). */
    ArrayList<Object> lineageWaiters;

    // Completion, for synchronous calls.
    volatile boolean done;
    volatile boolean waitedFor;
    Object result;
    TaskFailure failure;

    TaskNode(long id, TaskDefinition definition, Access[] accesses, Object[] arguments, int[] argumentAccess,
            int receiverAccess, int resultAccess, Group group) {
        this.id = id;
        this.definition = definition;
        this.accesses = accesses;
        this.arguments = arguments;
        this.argumentAccess = argumentAccess;
        this.receiverAccess = receiverAccess;
        this.resultAccess = resultAccess;
        this.group = group;
    }

    String name() {
        return definition.name();
    }

    /** The id the program knows it by: a re-run's is the task it repeats. */
    long shownId() {
        return rerunOf != null ? rerunOf.id : id;
    }

    boolean priority() {
        return definition.priority();
    }

    @Override
    public String toString() {
        return name() + "#" + id;
    }

    /** The failure or cancel of its group (or of a group it is nested in) that stops it, or {@code null}. */
    TaskFailure groupStop() {
        return group == null ? null : group.stoppedBy();
    }

    /** The attempts made, as the program hears of them: those sent, less those taken back before they counted. */
    int attemptsMade() {
        return attempts - skippedAttempts;
    }
}
