package io.weft.runtime.master;

import java.util.ArrayDeque;
import java.util.function.Function;

/** The tasks whose inputs are all available, split into priority and ordinary tasks. Analyser thread only. */
final class ReadyQueue {
    private final ArrayDeque<TaskNode> priority = new ArrayDeque<>();
    private final ArrayDeque<TaskNode> normal = new ArrayDeque<>();

    void add(TaskNode task) {
        (task.priority() ? priority : normal).addLast(task);
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
