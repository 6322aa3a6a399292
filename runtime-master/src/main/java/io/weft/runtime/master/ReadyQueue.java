package io.weft.runtime.master;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.function.Function;

/**
 * The tasks whose inputs are all available, in one lane per task method. Tasks of one method need the same
 * resources, so when the first of a lane fits nowhere now, none of the lane does: a decision tries one task per
 * lane, and a long backlog of tasks that wait for a GPU costs nothing to the tasks behind it.
 *
 * <p>Order: each task gets a number when it becomes ready, increasing for tasks ready when submitted and
 * decreasing for tasks released by another task's end, which thus go ahead (a chain keeps running on data still
 * in the cache). Each lane is kept in that order. Priority lanes are considered before the others.
 *
 * <p>Analyser thread only.
 */
final class ReadyQueue {
    /** The ready tasks of one task method, in order. */
    private static final class Lane {
        final ArrayDeque<TaskNode> tasks = new ArrayDeque<>();
        final boolean priority;

        Lane(boolean priority) {
            this.priority = priority;
        }
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
            lane = new Lane(task.priority());
            byMethod.put(task.definition.method(), lane);
            lanes.add(lane);
        }
        return lane;
    }

    /** A task ready when it was submitted: behind the others. */
    void add(TaskNode task) {
        task.readyOrder = ++last;
        lane(task).tasks.addLast(task);
        counted(task, 1);
    }

    /** Tasks released by another task's end, in the order they were released: ahead of the others. */
    void addAllReleased(Collection<TaskNode> released) {
        TaskNode[] tasks = released.toArray(new TaskNode[0]);
        for (int i = tasks.length - 1; i >= 0; i--) {
            tasks[i].readyOrder = --first;
            lane(tasks[i]).tasks.addFirst(tasks[i]);
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
                TaskNode head = newestFirst ? lane.tasks.peekLast() : lane.tasks.peekFirst();
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

    private Placement take(boolean priority, boolean newestFirst, Function<TaskNode, Placement> place, int[] left) {
        candidates.clear();
        for (Lane lane : lanes) {
            if (lane.priority == priority && !lane.tasks.isEmpty()) {
                candidates.add(lane);
            }
        }
        if (candidates.size() > 1) {
            Comparator<Lane> byOrder = Comparator.comparingLong(l -> newestFirst ? -l.tasks.peekLast().readyOrder
                    : l.tasks.peekFirst().readyOrder);
            candidates.sort(byOrder);
        }
        for (Lane lane : candidates) {
            if (left[0]-- <= 0) {
                return null;
            }
            TaskNode task = newestFirst ? lane.tasks.peekLast() : lane.tasks.peekFirst();
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
            lane.tasks.pollFirst();
        }
        counted(task, -1);
    }
}
