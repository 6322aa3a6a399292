package io.weft.benchmarks.serialization;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/** The payloads that are measured, and a structural check that a round-tripped copy equals its original. */
public final class Payloads {
  /** Side of the matrix block: 128 x 128 doubles = 128 KiB. */
  public static final int MATRIX_N = 128;
  /** Side of the large block: 3536 x 3536 doubles = 100,026,368 bytes, about 100 MB. */
  public static final int LARGE_N = 3536;
  public static final int WORDS = 10_000;
  public static final int RING = 100;

  private Payloads() {
  }

  public static MatrixBlock matrix() {
    return MatrixBlock.random(MATRIX_N, 42);
  }

  public static MatrixBlock large() {
    return MatrixBlock.random(LARGE_N, 43);
  }

  public static HashMap<String, Integer> wordCount() {
    SplittableRandom random = new SplittableRandom(44);
    HashMap<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < WORDS; i++) {
      counts.put("word" + i, random.nextInt(1, 100_000));
    }
    return counts;
  }

  public static List<GraphNode> graph() {
    return GraphNode.ring(RING);
  }

  public static TaskResult record() {
    long[] samples = new long[16];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = 1_000_003L * i * i - 7;
    }
    return new TaskResult("matmul-block-3-7", 12345, samples);
  }

  /**
   * Throws unless {@code copy} is a structurally equal, separate copy of {@code original}, one of the payloads
   * above. For the graph it checks that the copy has the same shape: one parent shared by all nodes (identity)
   * and a ring (the last node's next is the first node, identity).
   */
  public static void verify(Object original, Object copy) {
    if (copy == original) {
      throw new IllegalStateException("round trip returned the original object itself");
    }
    if (original instanceof MatrixBlock m) {
      MatrixBlock c = (MatrixBlock) copy;
      check(m.n == c.n && Arrays.equals(m.values, c.values), "matrix block differs");
    } else if (original instanceof TaskResult r) {
      TaskResult c = (TaskResult) copy;
      check(r.name().equals(c.name()) && r.count() == c.count() && Arrays.equals(r.samples(), c.samples()),
          "record differs: " + c);
    } else if (original instanceof HashMap<?, ?> m) {
      check(copy instanceof HashMap<?, ?> && m.equals(copy), "word-count map differs");
    } else if (original instanceof List<?> list) {
      verifyGraph(list, (List<?>) copy);
    } else {
      throw new IllegalArgumentException("not a payload: " + original.getClass());
    }
  }

  private static void verifyGraph(List<?> original, List<?> copy) {
    check(original.size() == copy.size(), "graph size differs");
    GraphNode parent = ((GraphNode) copy.get(0)).parent;
    check(parent != null && parent != ((GraphNode) original.get(0)).parent, "graph parent not copied");
    check(parent.id == -1 && "parent".equals(parent.label) && parent.parent == null, "graph parent differs");
    Map<GraphNode, Boolean> seen = new IdentityHashMap<>();
    for (int i = 0; i < copy.size(); i++) {
      GraphNode o = (GraphNode) original.get(i);
      GraphNode c = (GraphNode) copy.get(i);
      check(seen.put(c, Boolean.TRUE) == null, "graph node " + i + " appears twice");
      check(c.id == o.id && Objects.equals(c.label, o.label), "graph node " + i + " differs");
      check(c.parent == parent, "graph node " + i + " does not share the parent (identity lost)");
      check(c.next == copy.get((i + 1) % copy.size()), "graph node " + i + ": next is not the next node (cycle lost)");
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
