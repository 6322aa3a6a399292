package io.weft.api;

/**
 * How a task uses one of its parameters (or, for an instance-method task, its receiver).
 *
 * <p>Dependencies between tasks come from these directions: a task that reads a datum waits for the task that
 * last wrote it (read-after-write). Write-after-read and write-after-write do not order tasks: each write makes
 * a new version of the datum and readers keep the version they were given.
 */
public enum Direction {
    /** The task only reads the datum. The default for every parameter. */
    IN,
    /** The task only writes the datum; its previous content is not read. */
    OUT,
    /** The task reads and then updates the datum. */
    INOUT,
    /**
     * The task updates the datum in place together with other {@code CONCURRENT} accesses, which do not order
     * among themselves; the task itself must make its updates thread-safe. The next ordinary access waits for
     * all of them.
     */
    CONCURRENT,
    /**
     * The task updates the datum with an operation that commutes with the other {@code COMMUTATIVE} accesses of
     * the same run of accesses: they run in any order but one at a time. The next ordinary access waits for all.
     */
    COMMUTATIVE
}
