/**
 * JMH comparison of the two candidate object serializers for the distributed runtime's payloads, Kryo 5 and
 * Apache Fory, on payloads typical of Weft: a 128 x 128 matrix block, a 100 MB block, a word-count map, a
 * small object graph with a cycle and shared references, and a record.
 *
 * <p>{@link io.weft.benchmarks.serialization.SerializerCheck} verifies that every payload survives a round
 * trip (including the cycle and the sharing) and prints serialized sizes; {@code benchmarks/serializers.sh}
 * runs both it and {@link io.weft.benchmarks.serialization.SerializerBenchmark}.
 */
package io.weft.benchmarks.serialization;
