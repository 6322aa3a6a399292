package io.weft.resources.internal.jaxb;

import java.util.ArrayList;
import java.util.List;

/**
 * Which element a message is about, as a path from the root, described the way a person looks for it in the
 * file: {@code <ComputingUnits> of processor 'Xeon' on node 'cpu1'}, {@code <Size> in <Memory> on node 'cpu1'},
 * {@code <ComputeNode Name="cpu1">}. Immutable.
 */
final class Where {
    /**
     * One element of the path.
     *
     * @param element its name
     * @param key the attribute that identifies it ({@code Name}, or {@code Node} for MountedOn), or {@code null}
     * @param value that attribute's value, or {@code null}
     */
    record Step(String element, String key, String value) {}

    private final List<Step> steps;

    private Where(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    /** The root element of a file. */
    static Where root(String element) {
        return new Where(List.of(new Step(element, null, null)));
    }

    /** From steps, first the root; at least one. */
    static Where of(List<Step> steps) {
        return new Where(steps);
    }

    /** A child without an identifying attribute. */
    Where child(String element) {
        return child(element, null, null);
    }

    /** A child identified by its {@code Name} attribute. */
    Where child(String element, String name) {
        return child(element, "Name", name);
    }

    /** A child identified by some attribute. */
    Where child(String element, String key, String value) {
        List<Step> longer = new ArrayList<>(steps);
        longer.add(new Step(element, value == null ? null : key, value));
        return new Where(longer);
    }

    /** The element's name. */
    String element() {
        return steps.get(steps.size() - 1).element();
    }

    /** Its start tag, with the identifying attribute: {@code <Processor Name="Xeon">}. */
    String tag() {
        return tag(steps.get(steps.size() - 1));
    }

    /** The element containing this one, or this one if it is the root. */
    Where parent() {
        return steps.size() == 1 ? this : new Where(steps.subList(0, steps.size() - 1));
    }

    /**
     * The description: the start tag, then its parent if that has no name and is not the root, then every named
     * ancestor.
     */
    @Override
    public String toString() {
        int last = steps.size() - 1;
        StringBuilder out = new StringBuilder(tag(steps.get(last)));
        for (int i = last - 1; i >= 1; i--) {
            Step step = steps.get(i);
            if (step.value() != null) {
                out.append(' ').append(ancestor(step));
            } else if (i == last - 1) {
                out.append(" in <").append(step.element()).append('>');
            }
        }
        return out.toString();
    }

    private static String tag(Step step) {
        return step.value() == null
                ? "<" + step.element() + ">"
                : "<" + step.element() + " " + step.key() + "=\"" + step.value() + "\">";
    }

    private static String ancestor(Step step) {
        return switch (step.element()) {
            case "ComputeNode" -> "on node '" + step.value() + "'";
            case "Processor" -> "of processor '" + step.value() + "'";
            case "SharedDisk" -> "of shared disk '" + step.value() + "'";
            case "AttachedDisk" -> "of attached disk '" + step.value() + "'";
            case "Adaptor" -> "of adaptor '" + step.value() + "'";
            default -> "in " + tag(step);
        };
    }
}
