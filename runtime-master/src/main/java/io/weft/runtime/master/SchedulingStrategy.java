package io.weft.runtime.master;

import java.util.ArrayDeque;

/**
 * Chooses which ready task runs next. A pure strategy over the ready queue: no threads, no clocks. Priority tasks
 * always go before the rest, whatever the policy.
 */
interface SchedulingStrategy {
    /** The next task to run, removed from the queue, or {@code null} if none is ready. */
    TaskNode next(ReadyQueue queue);

    /** Ready tasks in the order they became ready: the oldest first. */
    SchedulingStrategy FIFO = q -> q.poll(ArrayDeque::pollFirst);

    /** The newest ready task first: depth-first, keeps the working set small. */
    SchedulingStrategy LIFO = q -> q.poll(ArrayDeque::pollLast);

    static SchedulingStrategy named(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "fifo" -> FIFO;
            case "lifo" -> LIFO;
            default -> throw new IllegalArgumentException("unknown scheduler '" + name + "'; expected fifo or lifo");
        };
    }
}
