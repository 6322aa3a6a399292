package io.weft.resources.internal.jaxb;

import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JAXB binding of {@code resources.xsd}: one class per complex element, as the file has it. Children that
 * may come in any order are lists; which are required or single is checked by {@link ResourcesConverter}.
 * Content kept only for COMPSs compatibility lands in {@code ignored}.
 */
final class ResourcesXml {
    private ResourcesXml() {}

    /** {@code <ResourcesList>}. */
    @XmlRootElement(name = "ResourcesList")
    static final class ResourcesList extends Located {
        @XmlElement(name = "SharedDisk")
        List<SharedDisk> sharedDisks = new ArrayList<>();

        @XmlElement(name = "ComputeNode")
        List<ComputeNode> computeNodes = new ArrayList<>();
    }

    /** {@code <SharedDisk Name>}. */
    static final class SharedDisk extends Located {
        @XmlAttribute(name = "Name")
        String name;

        @XmlElement(name = "Storage")
        List<Storage> storage = new ArrayList<>();

        @XmlElement(name = "MountedOn")
        List<MountedOn> mountedOn = new ArrayList<>();
    }

    /** {@code <MountedOn Node MountPoint/>}. */
    static final class MountedOn extends Located {
        @XmlAttribute(name = "Node")
        String node;

        @XmlAttribute(name = "MountPoint")
        String mountPoint;
    }

    /** {@code <ComputeNode Name>}. */
    static final class ComputeNode extends Located {
        @XmlAttribute(name = "Name")
        String name;

        @XmlElement(name = "Processor")
        List<Processor> processors = new ArrayList<>();

        @XmlElement(name = "Memory")
        List<Memory> memory = new ArrayList<>();

        @XmlElement(name = "Storage")
        List<Storage> storage = new ArrayList<>();

        @XmlElement(name = "OperatingSystem")
        List<OperatingSystem> operatingSystem = new ArrayList<>();

        @XmlElement(name = "Software")
        List<Software> software = new ArrayList<>();

        @XmlElement(name = "SharedDisks")
        List<SharedDisks> sharedDisks = new ArrayList<>();

        @XmlElement(name = "Adaptors")
        List<Adaptors> adaptors = new ArrayList<>();

        @XmlElement(name = "Ports")
        List<Ports> ports = new ArrayList<>();

        /** COMPSs' {@code <Price>}. */
        @XmlAnyElement
        List<Object> ignored = new ArrayList<>();
    }

    /** {@code <Processor Name>}. */
    static final class Processor extends Located {
        @XmlAttribute(name = "Name")
        String name;

        @XmlElement(name = "ComputingUnits")
        List<Text> computingUnits = new ArrayList<>();

        @XmlElement(name = "Architecture")
        List<Text> architecture = new ArrayList<>();

        @XmlElement(name = "Type")
        List<Text> type = new ArrayList<>();

        @XmlElement(name = "Speed")
        List<Text> speed = new ArrayList<>();

        @XmlElement(name = "InternalMemorySize")
        List<Text> internalMemorySize = new ArrayList<>();

        @XmlElement(name = "Vendor")
        List<Text> vendor = new ArrayList<>();

        @XmlElement(name = "ProcessorProperty")
        List<ProcessorProperty> properties = new ArrayList<>();
    }

    /** {@code <ProcessorProperty>}: exactly one Key then one Value (the schema says so). */
    static final class ProcessorProperty extends Located {
        @XmlElement(name = "Key")
        Text key;

        @XmlElement(name = "Value")
        Text value;
    }

    /** {@code <Memory>}. */
    static final class Memory extends Located {
        @XmlElement(name = "Size")
        List<Text> size = new ArrayList<>();

        @XmlElement(name = "Type")
        List<Text> type = new ArrayList<>();
    }

    /** {@code <Storage>}, of a node or of a shared disk. */
    static final class Storage extends Located {
        @XmlElement(name = "Size")
        List<Text> size = new ArrayList<>();

        @XmlElement(name = "Type")
        List<Text> type = new ArrayList<>();

        @XmlElement(name = "Bandwidth")
        List<Text> bandwidth = new ArrayList<>();
    }

    /** {@code <OperatingSystem>}. */
    static final class OperatingSystem extends Located {
        @XmlElement(name = "Type")
        List<Text> type = new ArrayList<>();

        @XmlElement(name = "Distribution")
        List<Text> distribution = new ArrayList<>();

        @XmlElement(name = "Version")
        List<Text> version = new ArrayList<>();
    }

    /** {@code <Software>}. */
    static final class Software extends Located {
        @XmlElement(name = "Application")
        List<Text> applications = new ArrayList<>();
    }

    /** {@code <SharedDisks>} of a node. */
    static final class SharedDisks extends Located {
        @XmlElement(name = "AttachedDisk")
        List<AttachedDisk> disks = new ArrayList<>();
    }

    /** {@code <AttachedDisk Name>}: exactly one MountPoint (the schema says so). */
    static final class AttachedDisk extends Located {
        @XmlAttribute(name = "Name")
        String name;

        @XmlElement(name = "MountPoint")
        Text mountPoint;
    }

    /** COMPSs' {@code <Adaptors>}. */
    static final class Adaptors extends Located {
        @XmlElement(name = "Adaptor")
        List<Adaptor> adaptors = new ArrayList<>();
    }

    /** COMPSs' {@code <Adaptor Name>}: only its {@code <Ports>} are read. */
    static final class Adaptor extends Located {
        @XmlAttribute(name = "Name")
        String name;

        @XmlElement(name = "Ports")
        List<Ports> ports = new ArrayList<>();

        @XmlAnyElement
        List<Object> ignored = new ArrayList<>();
    }

    /** {@code <Ports>}: MinPort then MaxPort (the schema says so), then COMPSs extras, ignored. */
    static final class Ports extends Located {
        @XmlElement(name = "MinPort")
        Text minPort;

        @XmlElement(name = "MaxPort")
        Text maxPort;

        @XmlAnyElement
        List<Object> ignored = new ArrayList<>();
    }
}
