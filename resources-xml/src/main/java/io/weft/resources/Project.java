package io.weft.resources;

import java.util.List;
import java.util.Optional;

/**
 * What this run may use: the contents of a {@code project.xml}. Immutable.
 *
 * @param master the master node
 * @param nodes the worker nodes, in file order, with unique names
 */
public record Project(MasterNode master, List<ProjectNode> nodes) {
    public Project {
        nodes = List.copyOf(nodes);
    }

    /** The node of that name. */
    public Optional<ProjectNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
