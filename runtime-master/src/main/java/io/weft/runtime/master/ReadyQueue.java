package io.weft.runtime.master;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The tasks whose inputs are all available, in one lane per task method. Tasks of one method need the same
 * resources, so when the first of a lane fits nowhere now, none of the lane does: a decision tries one task per
 * lane, and a long backlog of tasks that wait for a GPU costs nothing to the tasks behind it.
 *
 * <p>Order: each task gets a number when it becomes ready, increasing for tasks ready when submitted and
 * decreasing for tasks released by another task's end, which thus go ahead (a chain keeps running on data still
 * in the cache). Each lane is kept in that order; or, for the policies that follow the critical path
 * ({@link #ReadyQueue(ToLongFunction, LongSupplier)}), by rank first — the highest first — and that number among
 * equal ranks. There the tasks nothing waits for (whose rank is their method's expected time, the same for the
 * whole lane) wait apart, in ready order, behind those that lead to others, so independent tasks cost no ordering;
 * one that gets a successor while it waits is ranked again ({@link #leads}). Priority lanes are considered before
 * the others.
 *
 * <p>A rank costs a walk through the graph after the task, so it is taken only when there is a choice to make: a
 * task waits unranked, in ready order, while the ready tasks are no more than the free task slots (they all go
 * now: a chain, or a few tasks on a few cores); once they are more, those waiting are ranked and join their lanes.
 *
 * <p>Analyser thread only (the thread holding the analyser's turn).
 */
final class ReadyQueue {
    /** Highest rank first; among equal ranks, the lowest number (released tasks, then the oldest). */
    private static final Comparator<TaskNode> BY_RANK = new ByRank();
    /** Ready order alone: lowest number first. */
    private static final Comparator<TaskNode> BY_RANK_ORDER = new ByReadyOrder();

    // The orders and the empty count are classes rather than lambdas: this class loads in the runtime's start,
    // while the JVM interprets, where each lambda costs a class spun at run time.

    private static final class ByRank implements Comparator<TaskNode> {
        @Override
        public int compare(TaskNode a, TaskNode b) {
            return a.rank != b.rank ? Long.compare(b.rank, a.rank) : Long.compare(a.readyOrder, b.readyOrder);
        }
    }

    private static final class ByReadyOrder implements Comparator<TaskNode> {
        @Override
        public int compare(TaskNode a, TaskNode b) {
            return Long.compare(a.readyOrder, b.readyOrder);
        }
    }

    /** Lanes by their first task's rank, by their first task's ready order, or by their last's, newest first. */
    private static final class LaneOrder implements Comparator<Lane> {
        static final LaneOrder BY_RANK = new LaneOrder(0);
        static final LaneOrder OLDEST = new LaneOrder(1);
        static final LaneOrder NEWEST = new LaneOrder(2);
        private final int order;

        private LaneOrder(int order) {
            this.order = order;
        }

        @Override
        public int compare(Lane a, Lane b) {
            return switch (order) {
                case 0 -> ReadyQueue.BY_RANK.compare(a.first(), b.first());
                case 1 -> Long.compare(a.first().readyOrder, b.first().readyOrder);
                default -> Long.compare(b.last().readyOrder, a.last().readyOrder);
            };
        }
    }

    /** Zero, as a count of calls or of free slots. */
    private static final class None implements LongSupplier, IntSupplier {
        static final None INSTANCE = new None();

        @Override
        public long getAsLong() {
            return 0;
        }

        @Override
        public int getAsInt() {
            return 0;
        }
    }

    /** The ready tasks of one task method, in order. */
    private static final class Lane {
        /** In ready order; {@code null} when ranked. */
        final ArrayDeque<TaskNode> tasks;
        /** By rank: the tasks that lead to others; {@code null} when in ready order. */
        final PriorityQueue<TaskNode> ranked;
        /**
         * By rank: the tasks nothing waits for yet (their rank is their own expected time, the same for every task
         * of the lane), in ready order; {@code null} when in ready order. They go after the lane's ranked tasks,
         * which lead to others: a bag of independent tasks costs no ordering.
         */
        final ArrayDeque<TaskNode> leaves;
        /**
         * Leaves to join the others in ready order ({@link #settle}): released since the lane's first leaf became
         * ready, or ranked tasks whose successors have all ended.
         */
        final ArrayList<TaskNode> aheadOfLeaves;
        final boolean priority;

        Lane(boolean priority, boolean byRank) {
            this.priority = priority;
            this.tasks = byRank ? null : new ArrayDeque<>();
            this.ranked = byRank ? new PriorityQueue<>(BY_RANK) : null;
            this.leaves = byRank ? new ArrayDeque<>() : null;
            this.aheadOfLeaves = byRank ? new ArrayList<>() : null;
        }

        boolean isEmpty() {
            return tasks != null ? tasks.isEmpty() : ranked.isEmpty() && firstLeaf() == null;
        }

        TaskNode first() {
            if (tasks != null) {
                return tasks.peekFirst();
            }
            TaskNode t = ranked.peek();
            return t != null ? t : firstLeaf();
        }

        /** The first leaf still waiting as one, after dropping the stale entries ahead of it. */
        private TaskNode firstLeaf() {
            TaskNode t;
            while ((t = leaves.peekFirst()) != null && !t.queuedLeaf) {
                leaves.pollFirst();
            }
            return t;
        }

        /** Adds a leaf entry at either end. */
        void addLeaf(TaskNode t, boolean atFront) {
            t.queuedLeaf = true;
            if (atFront) {
                leaves.addFirst(t);
            } else {
                leaves.addLast(t);
            }
        }

        TaskNode last() {
            if (tasks == null) {
                throw new IllegalStateException("a ranked queue has no newest-first order");
            }
            return tasks.peekLast();
        }

        void add(TaskNode t, boolean ahead) {
            if (ranked != null) {
                if (CriticalPath.leads(t)) {
                    ranked.add(t);
                } else if (leaves.isEmpty() || t.readyOrder > leaves.peekLast().readyOrder) {
                    addLeaf(t, false);
                } else {
                    // Released after the leaves here became ready (a released task's number is below every other):
                    // ahead of them, once the tasks ranked with it are in (settle).
                    aheadOfLeaves.add(t);
                }
            } else if (ahead) {
                tasks.addFirst(t);
            } else {
                tasks.addLast(t);
            }
        }

        /** Puts the leaves kept aside among the others, in ready order. */
        void settle() {
            if (aheadOfLeaves == null || aheadOfLeaves.isEmpty()) {
                return;
            }
            aheadOfLeaves.sort(BY_RANK_ORDER);
            TaskNode head = leaves.peekFirst();
            if (head == null || aheadOfLeaves.get(aheadOfLeaves.size() - 1).readyOrder < head.readyOrder) {
                // Released tasks: a released task's number is below every other, so they all go ahead.
                for (int i = aheadOfLeaves.size() - 1; i >= 0; i--) {
                    addLeaf(aheadOfLeaves.get(i), true);
                }
            } else {
                ArrayList<TaskNode> merged = new ArrayList<>(leaves);
                merged.addAll(aheadOfLeaves);
                merged.sort(BY_RANK_ORDER);
                for (TaskNode t : aheadOfLeaves) {
                    t.queuedLeaf = true;
                }
                leaves.clear();
                leaves.addAll(merged);
            }
            aheadOfLeaves.clear();
        }

        void removeFirst() {
            if (tasks != null) {
                tasks.pollFirst();
            } else if (ranked.poll() == null) {
                firstLeaf();
                leaves.pollFirst().queuedLeaf = false; // any other entry of it is stale now
            }
        }
    }

    /** Ranks a task when it becomes ready, or {@code null}: lanes in ready order. */
    private final ToLongFunction<TaskNode> ranks;
    /** How many tasks the program has called so far: ranks taken before many more were called are taken again. */
    private final LongSupplier called;
    /** {@link #called} when the ranked tasks were last ranked again. */
    private long rankedAt;
    /** With {@link #ranks}: ready tasks not ranked yet, in ready order; not in any lane. */
    private final ArrayDeque<TaskNode> unranked = new ArrayDeque<>();

    /** A queue in ready order. */
    ReadyQueue() {
        this(null, None.INSTANCE);
    }

    /**
     * A queue ordered by rank ({@code ranks}: a task's rank, taken the first time it waits with more ready tasks
     * than free slots), then ready order.
     */
    ReadyQueue(ToLongFunction<TaskNode> ranks, LongSupplier called) {
        this.ranks = ranks;
        this.called = called;
    }

    private final HashMap<Method, Lane> byMethod = new HashMap<>();
    private final ArrayList<Lane> lanes = new ArrayList<>();
    private final ArrayList<Lane> candidates = new ArrayList<>();
    private long last;
    private long first;
    private int size;
    /** Ready tasks that may need more than one core (GPUs, memory, several cores). */
    private int demanding;

    private Lane lane(TaskNode task) {
        Lane lane = byMethod.get(task.definition.method());
        if (lane == null) {
            lane = new Lane(task.priority(), ranks != null);
            byMethod.put(task.definition.method(), lane);
            lanes.add(lane);
        }
        return lane;
    }

    /** A task ready when it was submitted: behind the others. */
    void add(TaskNode task) {
        task.readyOrder = ++last;
        if (ranks != null) {
            unranked.addLast(task);
        } else {
            lane(task).add(task, false);
        }
        counted(task, 1);
    }

    /** Tasks released by another task's end, in the order they were released: ahead of the others. */
    void addAllReleased(Collection<TaskNode> released) {
        TaskNode[] tasks = released.toArray(new TaskNode[0]);
        for (int i = tasks.length - 1; i >= 0; i--) {
            tasks[i].readyOrder = --first;
            if (ranks != null) {
                unranked.addFirst(tasks[i]);
            } else {
                lane(tasks[i]).add(tasks[i], true);
            }
            counted(tasks[i], 1);
        }
    }

    private void counted(TaskNode task, int delta) {
        size += delta;
        if (task.definition.demanding()) {
            demanding += delta;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Whether a ready task may need more than one core: then workers take no single-core tasks ahead of time. */
    boolean hasDemanding() {
        return demanding > 0;
    }

    /**
     * The first task, in a policy's order, that {@code place} can place now, removed from the queue with its
     * placement; {@code null} if none can. The candidates are the first task of each lane ({@code newestFirst}
     * false: the lowest number) or the last ({@code newestFirst}: the highest), priority lanes first, at most
     * {@code limit} of them; but before the ordinary lanes, the demanding task at the head of each lane, so that
     * it is placed or holds a reservation whatever is ahead of it.
     */
    Placement take(boolean newestFirst, Function<TaskNode, Placement> place, int limit) {
        return take(newestFirst, place, limit, None.INSTANCE);
    }

    /**
     * As {@link #take(boolean, Function, int)}, knowing that {@code room} tasks can start now (asked only when there
     * are tasks to rank): while the ready tasks are no more, they go in ready order and none is ranked (each would
     * be placed anyway).
     */
    Placement take(boolean newestFirst, Function<TaskNode, Placement> place, int limit, IntSupplier room) {
        if (!unranked.isEmpty()) {
            // All of them start now: only when every ready task is here (none waits in a lane, ahead by rank or
            // priority) and each needs one plain core (the room counts those).
            if (unranked.size() == size && demanding == 0 && size <= room.getAsInt()) {
                for (java.util.Iterator<TaskNode> it = unranked.iterator(); it.hasNext(); ) {
                    TaskNode t = it.next();
                    Placement p = place.apply(t);
                    if (p != null) {
                        it.remove();
                        counted(t, -1);
                        return p;
                    }
                }
            }
            for (TaskNode t; (t = unranked.pollFirst()) != null; ) {
                t.rank = ranks.applyAsLong(t);
                lane(t).add(t, false);
            }
            for (Lane lane : lanes) {
                lane.settle();
            }
        }
        if (ranks != null && called.getAsLong() - rankedAt > Math.max(RANK_AGAIN_AFTER, size)) {
            rankAgain();
        }
        int[] left = {limit};
        Placement p = take(true, newestFirst, place, left);
        if (p != null) {
            return p;
        }
        if (demanding > 0) {
            // Each demanding task at the head of its lane goes next: placed if it fits, else it reserves a node
            // (or keeps its reservation). Tried only in order, behind tasks that keep fitting or lanes beyond the
            // limit, it might never get the chance, and a node held for it would sit idle.
            for (Lane lane : lanes) {
                TaskNode head = newestFirst ? lane.last() : lane.first();
                if (head != null && !lane.priority && head.definition.demanding()) {
                    p = place.apply(head);
                    if (p != null) {
                        remove(lane, newestFirst, head);
                        return p;
                    }
                }
            }
        }
        return take(false, newestFirst, place, left);
    }

    /**
     * A rank counts only the tasks called before it was taken: a task ranked while the program was still calling
     * the tasks that depend on it would keep too low a rank. Once the program has called more tasks than wait here
     * (and at least {@value #RANK_AGAIN_AFTER}) since the last time, every waiting task is ranked again: each call
     * pays for a bounded number of ranks in the long run.
     */
    private void rankAgain() {
        rankedAt = called.getAsLong();
        ArrayList<TaskNode> all = new ArrayList<>();
        for (Lane lane : lanes) {
            if (lane.ranked == null) {
                continue;
            }
            all.addAll(lane.ranked);
            lane.ranked.clear();
            // The leaves stay in ready order: each either stays a leaf, in place, or now leads to a task called
            // since and joins the ranked ones.
            for (java.util.Iterator<TaskNode> it = lane.leaves.iterator(); it.hasNext(); ) {
                TaskNode t = it.next();
                if (!t.queuedLeaf) {
                    it.remove(); // stale: the task is among the ranked ones, or gone
                    continue;
                }
                t.rank = ranks.applyAsLong(t);
                if (CriticalPath.leads(t)) {
                    it.remove(); // any other entry of it is stale now
                    t.queuedLeaf = false;
                    lane.ranked.add(t);
                }
            }
        }
        // A ranked task whose successors have all ended since is a leaf now: among the leaves, by ready order.
        for (TaskNode t : all) {
            t.rank = ranks.applyAsLong(t);
            Lane lane = lane(t);
            if (CriticalPath.leads(t)) {
                lane.ranked.add(t);
            } else {
                lane.aheadOfLeaves.add(t);
            }
        }
        for (Lane lane : lanes) {
            lane.settle();
        }
    }

    /**
     * A waiting task that led nowhere when it was ranked now has a successor (the program called a task that reads
     * what it writes): it is ranked again and goes among the ranked tasks, ahead of those that still lead nowhere.
     * Its entry among the leaves stays, stale, and is dropped when it comes first: finding it there would cost a
     * search through every leaf for each such call.
     */
    void leads(TaskNode task) {
        if (!task.queuedLeaf || ranks == null) {
            return;
        }
        task.queuedLeaf = false;
        task.rank = ranks.applyAsLong(task);
        lane(task).ranked.add(task);
    }

    /** The fewest calls of tasks after which waiting tasks are ranked again. */
    static final int RANK_AGAIN_AFTER = 64;

    private Placement take(boolean priority, boolean newestFirst, Function<TaskNode, Placement> place, int[] left) {
        candidates.clear();
        for (Lane lane : lanes) {
            if (lane.priority == priority && !lane.isEmpty()) {
                candidates.add(lane);
            }
        }
        if (candidates.size() > 1) {
            candidates.sort(ranks != null ? LaneOrder.BY_RANK : newestFirst ? LaneOrder.NEWEST : LaneOrder.OLDEST);
        }
        for (Lane lane : candidates) {
            if (left[0]-- <= 0) {
                return null;
            }
            TaskNode task = newestFirst ? lane.last() : lane.first();
            Placement p = place.apply(task);
            if (p != null) {
                remove(lane, newestFirst, task);
                return p;
            }
        }
        return null;
    }

    private void remove(Lane lane, boolean newestFirst, TaskNode task) {
        if (newestFirst) {
            lane.tasks.pollLast();
        } else {
            lane.removeFirst();
        }
        counted(task, -1);
    }
}
