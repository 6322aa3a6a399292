package io.weft.runtime.master;

/**
 * A scheduling decision: run this task, with this implementation, on this node. Immutable.
 *
 * @param task the task, already removed from the ready queue
 * @param node where it runs; {@code null} for a task that will not run (an input or its group failed)
 * @param implementation which of its implementations runs; {@code null} likewise
 */
record Placement(TaskNode task, WorkerNode node, Implementation implementation) {}
