package io.weft.benchmarks.serialization;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every serializer on every payload and prints the serialized sizes:
 *
 * <ul>
 *   <li>a round trip through one instance's reused buffer gives a structurally equal copy (the graph keeps its
 *       cycle and its shared parent, by identity);
 *   <li>bytes written by one instance are read by a new instance (receiver with no state from the sender);
 *   <li>an instance restricted to an allow list reads the payloads but refuses a class not on it.
 * </ul>
 *
 * Exits with status 1 if any check fails. Usage: {@code SerializerCheck [--no-large]}.
 */
public final class SerializerCheck {
  /** Classes the payloads need beyond each serializer's built-in types (Class#getName). */
  static final Set<String> ALLOWED = Set.of(
      MatrixBlock.class.getName(), GraphNode.class.getName(), TaskResult.class.getName(),
      "java.util.HashMap", "java.util.ArrayList", "[D", "[J");

  /** Not on the allow list: a restricted reader must refuse it. */
  public static final class Unexpected {
    final String command;

    public Unexpected(String command) {
      this.command = command;
    }
  }

  private SerializerCheck() {
  }

  public static void main(String[] args) {
    boolean large = !List.of(args).contains("--no-large");
    Map<String, Object> payloads = new LinkedHashMap<>();
    payloads.put("matrixBlock (128x128 doubles, 131072 B raw)", Payloads.matrix());
    if (large) {
      payloads.put("largeBlock (3536x3536 doubles, 100026368 B raw)", Payloads.large());
    }
    payloads.put("wordCount (HashMap, 10000 entries)", Payloads.wordCount());
    payloads.put("objectGraph (100-node ring, shared parent)", Payloads.graph());
    payloads.put("record (String, int, long[16])", Payloads.record());

    Map<String, Map<String, Integer>> sizes = new LinkedHashMap<>();
    int failures = 0;
    for (String name : Codec.NAMES) {
      Codec codec = Codec.create(name);
      Codec receiver = Codec.create(name);
      Codec restricted = Codec.create(name, ALLOWED);
      for (Map.Entry<String, Object> payload : payloads.entrySet()) {
        String what = name + " / " + payload.getKey();
        try {
          Payloads.verify(payload.getValue(), codec.roundTrip(payload.getValue()));
          sizes.computeIfAbsent(payload.getKey(), k -> new LinkedHashMap<>()).put(name, codec.lastSize());
          byte[] bytes = codec.serialize(payload.getValue());
          Payloads.verify(payload.getValue(), receiver.deserialize(bytes));
          Payloads.verify(payload.getValue(), restricted.deserialize(bytes));
        } catch (RuntimeException | AssertionError e) {
          failures++;
          System.out.println("FAIL " + what + ": " + e);
        }
      }
      byte[] unexpected = codec.serialize(new Unexpected("rm -rf /"));
      try {
        Object read = restricted.deserialize(unexpected);
        failures++;
        System.out.println("FAIL " + name + ": restricted reader accepted " + read.getClass().getName());
      } catch (RuntimeException e) {
        System.out.println("ok   " + name + ": restricted reader refused a class not on the allow list: "
            + firstLine(e));
      }
    }

    System.out.println();
    System.out.printf("%-50s", "serialized size in bytes");
    for (String name : Codec.NAMES) {
      System.out.printf("%14s", name);
    }
    System.out.println();
    for (Map.Entry<String, Map<String, Integer>> row : sizes.entrySet()) {
      System.out.printf("%-50s", row.getKey());
      for (String name : Codec.NAMES) {
        Integer size = row.getValue().get(name);
        System.out.printf("%14s", size == null ? "-" : size.toString());
      }
      System.out.println();
    }
    System.out.println();
    System.out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
    if (failures != 0) {
      System.exit(1);
    }
  }

  /** The innermost cause's class and first line of message: what actually refused the class. */
  private static String firstLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String s = root.getClass().getSimpleName() + ": " + root.getMessage();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
