package io.weft.runtime.master;

import java.util.ArrayDeque;
import java.util.function.Function;

/** The tasks whose inputs are all available, split into priority and ordinary tasks. Analyser thread only. */
final class ReadyQueue {
    private final ArrayDeque<TaskNode> priority = new ArrayDeque<>();
    private final ArrayDeque<TaskNode> normal = new ArrayDeque<>();

    /** A task ready when it was submitted: behind the others. */
    void add(TaskNode task) {
        (task.priority() ? priority : normal).addLast(task);
    }

    /** Tasks released by another task's end, in the order they were released: ahead of the others. */
    void addAllReleased(java.util.Collection<TaskNode> released) {
        TaskNode[] tasks = released.toArray(new TaskNode[0]);
        for (int i = tasks.length - 1; i >= 0; i--) {
            (tasks[i].priority() ? priority : normal).addFirst(tasks[i]);
        }
    }

    boolean isEmpty() {
        return priority.isEmpty() && normal.isEmpty();
    }

    int size() {
        return priority.size() + normal.size();
    }

    /** Takes from the priority tasks first, then from the others, with the policy's end of each deque. */
    TaskNode poll(Function<ArrayDeque<TaskNode>, TaskNode> end) {
        return priority.isEmpty() ? end.apply(normal) : end.apply(priority);
    }
}
