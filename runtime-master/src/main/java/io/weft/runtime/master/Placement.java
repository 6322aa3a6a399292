package io.weft.runtime.master;

/**
 * A scheduling decision: run this task, with this implementation, on this node. Immutable.
 *
 * @param task the task, already removed from the ready queue
 * @param node where it runs
 * @param implementation which of its implementations runs
 */
record Placement(TaskNode task, WorkerNode node, Implementation implementation) {}
