package io.weft.resources.internal.jaxb;

import io.weft.resources.Architecture;
import io.weft.resources.ComputeNode;
import io.weft.resources.OperatingSystem;
import io.weft.resources.Processor;
import io.weft.resources.ProcessorType;
import io.weft.resources.Resources;
import io.weft.resources.ResourcesFileException;
import io.weft.resources.SharedDisk;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks what a schema-valid {@code resources.xml} means and builds the immutable {@link Resources}: names unique
 * and non-empty, required and single children, architectures, processor and OS types, counts, speeds, sizes,
 * ports, and shared disk mounts that refer to declared disks and nodes.
 */
final class ResourcesConverter {
    private static final Where ROOT = Where.root("ResourcesList");
    private static final List<String> OS_TYPES = List.of("Linux", "Windows", "MacOS", "FreeBSD", "SunOS");
    /** GPU names that mean AMD when no vendor is given: MI50, MI250X, Instinct…, Radeon…. */
    private static final Pattern AMD_GPU = Pattern.compile("\\bMI\\d|instinct|radeon", Pattern.CASE_INSENSITIVE);

    /** A shared disk mounted on a node, and the element that said so. */
    private record Mount(String mountPoint, Located element) {}

    private final Checks checks;
    /** Node name to disk name to mount, in declaration order. */
    private final Map<String, Map<String, Mount>> mounts = new HashMap<>();

    ResourcesConverter(Path file) {
        this.checks = new Checks(file);
    }

    Resources convert(ResourcesXml.ResourcesList list) throws ResourcesFileException {
        Map<String, ResourcesXml.SharedDisk> disks =
                unique(list.sharedDisks, d -> d.name, "SharedDisk", "shared disk", "gpfs");
        Map<String, ResourcesXml.ComputeNode> nodes =
                unique(list.computeNodes, n -> n.name, "ComputeNode", "compute node", "cpu1");
        List<SharedDisk> sharedDisks = new ArrayList<>();
        for (ResourcesXml.SharedDisk disk : list.sharedDisks) {
            sharedDisks.add(sharedDisk(disk, nodes.keySet()));
        }
        List<ComputeNode> computeNodes = new ArrayList<>();
        for (ResourcesXml.ComputeNode node : list.computeNodes) {
            computeNodes.add(computeNode(node, disks.keySet()));
        }
        return new Resources(computeNodes, sharedDisks);
    }

    /** Elements by name, checking that names are given and unique (failing at the second of a pair). */
    private <T extends Located> Map<String, T> unique(List<T> elements, Function<T, String> name, String element,
            String what, String example) throws ResourcesFileException {
        Map<String, T> byName = new LinkedHashMap<>();
        for (T e : elements) {
            Where where = ROOT.child(element, name.apply(e));
            checks.name(name.apply(e), e, where, example);
            T first = byName.putIfAbsent(name.apply(e), e);
            if (first != null) {
                throw checks.at(e, where + ": duplicated " + what + " name '" + name.apply(e) + "'; the first "
                        + where.tag() + " is at " + first.position() + ". Names must be unique");
            }
        }
        return byName;
    }

    private SharedDisk sharedDisk(ResourcesXml.SharedDisk disk, Set<String> nodes) throws ResourcesFileException {
        Where where = ROOT.child("SharedDisk", disk.name);
        ResourcesXml.Storage storage = checks.single(disk.storage, where, "Storage");
        long size = storage == null ? -1 : storage(storage, where.child("Storage")).size;
        for (ResourcesXml.MountedOn m : disk.mountedOn) {
            Where at = where.child("MountedOn", "Node", m.node);
            checks.name(m.node, m, at, "cpu1");
            if (!nodes.contains(m.node)) {
                throw checks.at(m, at + ": no <ComputeNode Name=\"" + m.node + "\"> in this file"
                        + Checks.known("it declares", m.node, nodes));
            }
            mount(m.node, disk.name, m.mountPoint, m, at);
        }
        return new SharedDisk(disk.name, size);
    }

    private void mount(String node, String disk, String mountPoint, Located element, Where where)
            throws ResourcesFileException {
        if (mountPoint == null || mountPoint.isBlank()) {
            throw checks.at(element, where + ": the mount point is empty; expected a directory such as /gpfs");
        }
        Mount mount = new Mount(mountPoint.strip(), element);
        Mount earlier = mounts.computeIfAbsent(node, n -> new LinkedHashMap<>()).putIfAbsent(disk, mount);
        if (earlier != null && !earlier.mountPoint().equals(mount.mountPoint())) {
            throw checks.at(element, where + ": shared disk '" + disk + "' is already mounted on node '" + node
                    + "' at " + earlier.mountPoint() + " (" + earlier.element().position() + "); found mount point "
                    + mount.mountPoint() + ". A disk has one mount point per node");
        }
    }

    private ComputeNode computeNode(ResourcesXml.ComputeNode node, Set<String> disks)
            throws ResourcesFileException {
        Where where = ROOT.child("ComputeNode", node.name);
        if (node.processors.isEmpty()) {
            throw checks.at(node, where + " has no <Processor>; declare at least one, e.g. <Processor Name=\"Xeon\">"
                    + "<ComputingUnits>16</ComputingUnits></Processor>");
        }
        List<Processor> cpus = new ArrayList<>();
        List<Processor> others = new ArrayList<>();
        for (ResourcesXml.Processor p : node.processors) {
            Processor processor = processor(p, where);
            (processor.type() == ProcessorType.CPU ? cpus : others).add(processor);
        }
        if (cpus.isEmpty()) {
            // Every task holds at least one core, so such a node could never run anything.
            throw checks.at(node, where + " has no CPU processor (only " + others.stream().map(p -> p.type() + " "
                    + p.name()).toList() + "); every task holds at least one core, so declare the node's CPUs too,"
                    + " e.g. <Processor Name=\"Xeon\"><ComputingUnits>16</ComputingUnits></Processor>");
        }
        cpus.addAll(others);

        long memory = memory(checks.single(node.memory, where, "Memory"), where.child("Memory"));
        ResourcesXml.Storage storageElement = checks.single(node.storage, where, "Storage");
        Storage storage = storageElement == null ? new Storage(-1, "") : storage(storageElement,
                where.child("Storage"));
        OperatingSystem os = operatingSystem(checks.single(node.operatingSystem, where, "OperatingSystem"),
                where.child("OperatingSystem"));
        Set<String> software = software(node.software, where.child("Software"));
        for (ResourcesXml.SharedDisks list : node.sharedDisks) {
            for (ResourcesXml.AttachedDisk disk : list.disks) {
                attach(node.name, disk, disks, where.child("SharedDisks").child("AttachedDisk", disk.name));
            }
        }
        Map<String, String> sharedDisks = new LinkedHashMap<>();
        mounts.getOrDefault(node.name, Map.of()).forEach((disk, mount) -> sharedDisks.put(disk, mount.mountPoint()));
        int[] ports = ports(node, where);
        return new ComputeNode(node.name, cpus, memory, storage.size, storage.type, os, software, sharedDisks,
                ports[0], ports[1], node.line(), node.column());
    }

    private Processor processor(ResourcesXml.Processor p, Where node) throws ResourcesFileException {
        Where where = node.child("Processor", p.name);
        checks.name(p.name, p, where, "Xeon");
        Text unitsText = checks.required(p.computingUnits, p, where, "ComputingUnits",
                "the number of cores of a CPU or devices of a GPU, e.g. <ComputingUnits>16</ComputingUnits>");
        int units = checks.integer(unitsText);
        if (units <= 0) {
            throw checks.at(unitsText, where.child("ComputingUnits") + ": found " + units
                    + "; expected a whole number of at least 1 (cores of a CPU, devices of a GPU)");
        }
        Architecture architecture = null;
        Text arch = checks.single(p.architecture, where, "Architecture");
        if (arch != null) {
            architecture = Architecture.parse(arch.value()).orElseThrow(() -> checks.at(arch,
                    where.child("Architecture") + ": unknown architecture '" + arch.value() + "'; accepted: "
                            + Architecture.accepted()));
        }
        ProcessorType type = ProcessorType.CPU;
        Text typeText = checks.single(p.type, where, "Type");
        if (typeText != null) {
            type = ProcessorType.parse(typeText.value()).orElseThrow(() -> checks.at(typeText,
                    where.child("Type") + ": unknown processor type '" + typeText.value() + "'; accepted: "
                            + ProcessorType.accepted() + " (case-insensitive)"));
        }
        double speed = 0;
        Text speedText = checks.single(p.speed, where, "Speed");
        if (speedText != null) {
            BigDecimal ghz = checks.decimal(speedText);
            if (ghz.signum() < 0) {
                throw checks.at(speedText, where.child("Speed") + ": found " + speedText.value()
                        + "; expected a clock speed in GHz, 0 or more (0: unknown)");
            }
            speed = ghz.doubleValue();
        }
        Text memoryText = checks.single(p.internalMemorySize, where, "InternalMemorySize");
        long memory = memoryText == null ? -1 : checks.size(memoryText, where.child("InternalMemorySize"));
        Text vendorText = checks.single(p.vendor, where, "Vendor");
        String vendor = vendorText == null || vendorText.value().isEmpty()
                ? defaultVendor(type, p.name)
                : vendorText.value().toUpperCase(Locale.ROOT);
        return new Processor(p.name, type, architecture, units, speed, memory, vendor, properties(p, where));
    }

    /** NVIDIA for a GPU, unless its name says AMD; nothing for other processors. */
    static String defaultVendor(ProcessorType type, String name) {
        if (type != ProcessorType.GPU) {
            return "";
        }
        return AMD_GPU.matcher(name).find() ? "AMD" : "NVIDIA";
    }

    private Map<String, String> properties(ResourcesXml.Processor p, Where where) throws ResourcesFileException {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Located> seen = new HashMap<>();
        for (ResourcesXml.ProcessorProperty property : p.properties) {
            String key = property.key.value();
            Located first = seen.putIfAbsent(key, property);
            if (first != null) {
                throw checks.at(property, where.child("ProcessorProperty") + ": key '" + key
                        + "' given twice; the first is at " + first.position() + ". Keys must be unique");
            }
            properties.put(key, property.value.value());
        }
        return properties;
    }

    private long memory(ResourcesXml.Memory memory, Where where) throws ResourcesFileException {
        if (memory == null) {
            return -1;
        }
        checks.single(memory.type, where, "Type");
        Text size = checks.single(memory.size, where, "Size");
        return size == null ? -1 : checks.size(size, where.child("Size"));
    }

    /** A storage's size in bytes ({@code -1} if not given) and type. */
    private record Storage(long size, String type) {}

    private Storage storage(ResourcesXml.Storage storage, Where where) throws ResourcesFileException {
        checks.single(storage.bandwidth, where, "Bandwidth");
        Text size = checks.single(storage.size, where, "Size");
        return new Storage(size == null ? -1 : checks.size(size, where.child("Size")),
                checks.text(storage.type, where, "Type"));
    }

    private OperatingSystem operatingSystem(ResourcesXml.OperatingSystem os, Where where)
            throws ResourcesFileException {
        if (os == null) {
            return null;
        }
        Text type = checks.required(os.type, os, where, "Type", "one of " + String.join(", ", OS_TYPES));
        String canonical = OS_TYPES.stream().filter(t -> t.equalsIgnoreCase(type.value())).findFirst()
                .orElseThrow(() -> checks.at(type, where.child("Type") + ": unknown operating system type '"
                        + type.value() + "'; accepted: " + String.join(", ", OS_TYPES)
                        + " (case-insensitive; a distribution such as Ubuntu goes in <Distribution>)"));
        return new OperatingSystem(canonical, checks.text(os.distribution, where, "Distribution"),
                checks.text(os.version, where, "Version"));
    }

    private Set<String> software(List<ResourcesXml.Software> lists, Where where) throws ResourcesFileException {
        Set<String> software = new LinkedHashSet<>();
        for (ResourcesXml.Software list : lists) {
            for (Text application : list.applications) {
                if (application.value().isEmpty()) {
                    throw checks.at(application, where.child("Application")
                            + " is empty; expected the name of a piece of software, such as CUDA");
                }
                software.add(application.value());
            }
        }
        return software;
    }

    private void attach(String node, ResourcesXml.AttachedDisk disk, Set<String> disks, Where where)
            throws ResourcesFileException {
        checks.name(disk.name, disk, where, "gpfs");
        if (!disks.contains(disk.name)) {
            throw checks.at(disk, where + ": no <SharedDisk Name=\"" + disk.name + "\"> is declared in this file"
                    + Checks.known("declared shared disks", disk.name, disks));
        }
        mount(node, disk.name, disk.mountPoint.value(), disk, where);
    }

    /**
     * The node's port range: its own {@code <Ports>}, else those of its first COMPSs adaptor that has some, else
     * {@code 0, 0}. Every {@code <Ports>} is checked, used or not.
     */
    private int[] ports(ResourcesXml.ComputeNode node, Where where) throws ResourcesFileException {
        int[] chosen = null;
        ResourcesXml.Ports own = checks.single(node.ports, where, "Ports");
        if (own != null) {
            chosen = ports(own, where.child("Ports"));
        }
        for (ResourcesXml.Adaptors adaptors : node.adaptors) {
            for (ResourcesXml.Adaptor adaptor : adaptors.adaptors) {
                Where adaptorWhere = where.child("Adaptors").child("Adaptor", adaptor.name);
                ResourcesXml.Ports ports = checks.single(adaptor.ports, adaptorWhere, "Ports");
                if (ports != null) {
                    int[] range = ports(ports, adaptorWhere.child("Ports"));
                    chosen = chosen == null ? range : chosen;
                }
            }
        }
        return chosen == null ? new int[] {0, 0} : chosen;
    }

    private int[] ports(ResourcesXml.Ports ports, Where where) throws ResourcesFileException {
        int min = checks.port(ports.minPort, where.child("MinPort"), 1, "");
        int max = checks.port(ports.maxPort, where.child("MaxPort"), 1, "");
        if (min > max) {
            throw checks.at(ports, where + ": <MinPort> " + min + " is greater than <MaxPort> " + max
                    + "; expected MinPort <= MaxPort");
        }
        return new int[] {min, max};
    }
}
