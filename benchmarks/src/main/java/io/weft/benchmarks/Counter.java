package io.weft.benchmarks;

/** A mutable counter, the datum of the chain benchmark. */
final class Counter {
    long value;

    Counter(long value) {
        this.value = value;
    }
}
