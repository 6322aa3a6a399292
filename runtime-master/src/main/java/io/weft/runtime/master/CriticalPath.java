package io.weft.runtime.master;

import java.util.function.ToLongFunction;

/**
 * Ranks ready tasks by the critical path that follows them, as HEFT's upward rank and StarPU's {@code dm}
 * schedulers do: a task's rank is its expected run time plus the longest expected path through the unfinished
 * tasks that depend on it, transitively. The task with the highest rank goes first: it is the one whose delay would
 * delay the end of the program most.
 *
 * <p>Expected times are each task method's recent mean run time ({@link Cluster#meanNanos}); a method that has not
 * run yet counts as the mean of those that have (1 ms before any has), so before anything is measured the rank is
 * the number of tasks on the longest path. The graph is the one known when the task is ranked (the first time it
 * waits among more ready tasks than there are free slots, see {@link ReadyQueue}): the program may call more tasks
 * later, and only the tasks it had called count. To keep each rank cheap, at most {@link #BUDGET}
 * tasks are looked at per rank (a path found beyond them counts no further): in a graph thousands of tasks deep the
 * ranks of its first tasks are equal, and they go in the order they became ready.
 *
 * <p>Analyser thread (the thread holding the analyser's turn); pure (no clock, no thread): the expected times come
 * in as a function.
 */
final class CriticalPath implements ToLongFunction<TaskNode> {
    /** How many tasks one rank looks at, the task itself included. */
    static final int BUDGET = 128;

    private final ToLongFunction<TaskDefinition> expectedNanos;
    /** Marks the tasks this rank has looked at ({@link TaskNode#rankStamp}), so none is looked at twice. */
    private long stamp;
    /** How many tasks this rank has looked at so far. */
    private int looked;

    /** @param expectedNanos a task method's expected run time in nanoseconds, or a value below 1 if not known */
    CriticalPath(ToLongFunction<TaskDefinition> expectedNanos) {
        this.expectedNanos = expectedNanos;
    }

    /** The rank of a task: its expected time plus the longest expected path of unfinished tasks after it. */
    long rank(TaskNode task) {
        stamp++;
        looked = 1;
        return visit(task, BUDGET - 1);
    }

    /** {@link #rank}: the ready queue's ranks. */
    @Override
    public long applyAsLong(TaskNode task) {
        return rank(task);
    }

    /** Whether an unfinished task waits for {@code task}: else its rank is its own expected time. */
    static boolean leads(TaskNode task) {
        java.util.ArrayList<TaskNode> s = task.successors;
        if (s != null) {
            for (int i = 0, n = s.size(); i < n; i++) {
                if (!s.get(i).finished) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Depth first, at most {@code budget} tasks below {@code t}, shared among its successors: each gets an equal part
     * of what is left, so a long path through a later successor is seen as well as one through the first. At most
     * {@link #BUDGET} deep, so the stack stays small.
     */
    private long visit(TaskNode t, int budget) {
        t.rankStamp = stamp;
        long after = 0;
        if (t.successors != null && budget > 0) {
            int n = t.successors.size();
            int left = budget;
            for (int i = 0; i < n && left > 0; i++) {
                TaskNode s = t.successors.get(i);
                long r;
                if (s.rankStamp == stamp) {
                    r = s.rankMemo;
                } else if (s.finished) {
                    continue;
                } else {
                    int share = Math.max(1, left / (n - i));
                    int before = looked++;
                    r = visit(s, share - 1);
                    left -= looked - before;
                }
                after = Math.max(after, r);
            }
        }
        long own = expectedNanos.applyAsLong(t.definition);
        t.rankMemo = Math.max(1, own) + after;
        return t.rankMemo;
    }
}
