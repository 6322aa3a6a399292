package io.weft.benchmarks.serialization;

/** A record as a task might return it: a String, an int and a small primitive array. */
public record TaskResult(String name, int count, long[] samples) {
}
