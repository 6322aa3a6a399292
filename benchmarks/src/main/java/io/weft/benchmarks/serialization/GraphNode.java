package io.weft.benchmarks.serialization;

import java.util.ArrayList;
import java.util.List;

/**
 * A node of a small object graph: every node of a ring points to one shared parent and to the next node, the
 * last to the first, so the graph has both shared references and a cycle. No no-arg constructor.
 */
public final class GraphNode {
  final int id;
  final String label;
  final GraphNode parent;
  GraphNode next;

  public GraphNode(int id, String label, GraphNode parent) {
    this.id = id;
    this.label = label;
    this.parent = parent;
  }

  /** A parent and a ring of {@code size} children; returns the children, all pointing to the same parent. */
  public static List<GraphNode> ring(int size) {
    GraphNode parent = new GraphNode(-1, "parent", null);
    List<GraphNode> nodes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      nodes.add(new GraphNode(i, "node-" + i, parent));
    }
    for (int i = 0; i < size; i++) {
      nodes.get(i).next = nodes.get((i + 1) % size);
    }
    return nodes;
  }

  @Override
  public String toString() {
    return "GraphNode[" + id + "]";
  }
}
