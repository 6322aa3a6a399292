package io.weft.runtime.master;

/** How a task accesses a datum, as the graph sees it. */
enum Mode {
    /** Reads the current version. */
    READ,
    /** Reads the current version and writes the next one. */
    UPDATE,
    /** Writes the next version without reading (files only; an object written by a task is an UPDATE). */
    WRITE,
    /** Updates in place with other concurrent accesses; no order among them. */
    CONCURRENT,
    /** Updates in place with other commutative accesses; any order, one at a time. */
    COMMUTATIVE,
    /** The task's return value: the first version of a new datum. */
    RESULT;

    boolean writes() {
        return this != READ;
    }

    /** The mode of two accesses to the same datum by one task. */
    Mode merge(Mode other) {
        if (this == other) {
            return this;
        }
        if (this == READ) {
            return other == WRITE ? UPDATE : other;
        }
        if (other == READ) {
            return this == WRITE ? UPDATE : this;
        }
        return UPDATE;
    }
}
