package io.weft.resources;

import java.util.List;
import java.util.Optional;

/**
 * What hardware exists: the contents of a {@code resources.xml}. Immutable.
 *
 * @param nodes the compute nodes, in file order, with unique names
 * @param sharedDisks the shared disks, with unique names
 */
public record Resources(List<ComputeNode> nodes, List<SharedDisk> sharedDisks) {
    public Resources {
        nodes = List.copyOf(nodes);
        sharedDisks = List.copyOf(sharedDisks);
    }

    /** The node of that name. */
    public Optional<ComputeNode> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
