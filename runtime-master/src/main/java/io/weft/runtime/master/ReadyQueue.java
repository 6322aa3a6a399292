package io.weft.runtime.master;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.function.Function;

/**
 * The tasks whose inputs are all available, split into priority and ordinary tasks, oldest first in each.
 * Analyser thread only.
 */
final class ReadyQueue {
    private final ArrayDeque<TaskNode> priority = new ArrayDeque<>();
    private final ArrayDeque<TaskNode> normal = new ArrayDeque<>();
    /** Tasks passed over in one look because they share the definition of one that did not fit. */
    private static final int SKIP_LIMIT = 4096;
    /** Ready tasks that may need more than one core (GPUs, memory, several cores). */
    private int demanding;

    /** A task ready when it was submitted: behind the others. */
    void add(TaskNode task) {
        (task.priority() ? priority : normal).addLast(task);
        count(task, 1);
    }

    /** Tasks released by another task's end, in the order they were released: ahead of the others. */
    void addAllReleased(Collection<TaskNode> released) {
        TaskNode[] tasks = released.toArray(new TaskNode[0]);
        for (int i = tasks.length - 1; i >= 0; i--) {
            (tasks[i].priority() ? priority : normal).addFirst(tasks[i]);
            count(tasks[i], 1);
        }
    }

    private void count(TaskNode task, int delta) {
        if (task.definition.demanding()) {
            demanding += delta;
        }
    }

    boolean isEmpty() {
        return priority.isEmpty() && normal.isEmpty();
    }

    int size() {
        return priority.size() + normal.size();
    }

    /** Whether a ready task may need more than one core: then workers take no single-core tasks ahead of time. */
    boolean hasDemanding() {
        return demanding > 0;
    }

    /**
     * The first task, in a policy's order, that {@code place} can place now, removed from the queue with its
     * placement; {@code null} if none of the first {@code limit} tasks can be placed. Priority tasks come first;
     * each deque is taken from its oldest ({@code newestFirst} false) or newest end.
     */
    Placement take(boolean newestFirst, Function<TaskNode, Placement> place, int limit) {
        int[] left = {limit};
        Placement p = take(priority, newestFirst, place, left);
        return p != null ? p : take(normal, newestFirst, place, left);
    }

    private Placement take(ArrayDeque<TaskNode> deque, boolean newestFirst, Function<TaskNode, Placement> place,
            int[] left) {
        TaskDefinition failed = null;
        int skippable = SKIP_LIMIT;
        for (Iterator<TaskNode> it = newestFirst ? deque.descendingIterator() : deque.iterator();
                it.hasNext() && left[0] > 0; ) {
            TaskNode task = it.next();
            if (task.definition == failed && skippable-- > 0) {
                continue; // the same needs as the task before, which fits nowhere now: neither does this one
            }
            left[0]--;
            Placement p = place.apply(task);
            if (p != null) {
                it.remove();
                count(task, -1);
                return p;
            }
            failed = task.definition;
        }
        return null;
    }
}
