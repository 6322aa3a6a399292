package io.weft.benchmarks.serialization;

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip (serialize into a reused buffer, then deserialize a copy) throughput of each serializer on Weft's
 * typical payloads. One serializer instance per thread, created once and reused, as the runtime would keep one
 * per connection. Each trial first checks that every payload survives a round trip.
 *
 * <p>{@link #largeBlock} moves a 100 MB block; its payload bandwidth in MB/s is ops/s x
 * {@link MatrixBlock#payloadBytes()} / 1e6 (benchmarks/serializers.sh prints it). Run it with fewer, longer
 * iterations than the others.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SerializerBenchmark {
  @Param({"kryo", "kryo-unsafe", "fory"})
  public String serializer;

  Codec codec;
  private MatrixBlock matrix;
  private HashMap<String, Integer> wordCount;
  private List<GraphNode> graph;
  private TaskResult record;

  @Setup(Level.Trial)
  public void setUp() {
    codec = Codec.create(serializer);
    matrix = Payloads.matrix();
    wordCount = Payloads.wordCount();
    graph = Payloads.graph();
    record = Payloads.record();
    for (Object payload : List.of(matrix, wordCount, graph, record)) {
      Payloads.verify(payload, codec.roundTrip(payload));
    }
  }

  /** 128 x 128 doubles (128 KiB) in a final class without a no-arg constructor. */
  @Benchmark
  public Object matrixBlock() {
    return codec.roundTrip(matrix);
  }

  /** {@code HashMap<String, Integer>} with 10,000 entries. */
  @Benchmark
  public Object wordCount() {
    return codec.roundTrip(wordCount);
  }

  /** 100 nodes in a ring, all sharing one parent. */
  @Benchmark
  public Object objectGraph() {
    return codec.roundTrip(graph);
  }

  /** A record of a String, an int and a long[16]. */
  @Benchmark
  public Object record() {
    return codec.roundTrip(record);
  }

  /** 3536 x 3536 doubles, 100,026,368 bytes of payload. */
  @Benchmark
  public Object largeBlock(LargeBlock large) {
    return codec.roundTrip(large.block);
  }

  /** The 100 MB block, allocated only for {@link #largeBlock}. */
  @State(Scope.Thread)
  public static class LargeBlock {
    MatrixBlock block;

    @Setup(Level.Trial)
    public void setUp(SerializerBenchmark benchmark) {
      block = Payloads.large();
      Payloads.verify(block, benchmark.codec.roundTrip(block));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      block = null;
    }
  }
}
