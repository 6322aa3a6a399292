package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading valid resources files: every element, in any order, into the model. */
class ResourcesFileTest {
    private static final long GB = 1L << 30;

    @TempDir
    Path dir;

    private Resources read(String xml) throws ResourcesFileException {
        return ResourcesFiles.readResources(TestFiles.write(dir, "resources.xml", xml));
    }

    @Test
    void everyElement_isReadIntoTheModel() throws ResourcesFileException {
        Resources resources = read("""
                <?xml version="1.0" encoding="UTF-8"?>
                <ResourcesList>
                  <SharedDisk Name="gpfs">
                    <Storage><Size>10TB</Size><Type>GPFS</Type></Storage>
                    <MountedOn Node="gpu1" MountPoint="/gpfs"/>
                  </SharedDisk>
                  <SharedDisk Name="scratch"/>
                  <ComputeNode Name="gpu1">
                    <Processor Name="A100">
                      <Type>gpu</Type>
                      <ComputingUnits>4</ComputingUnits>
                      <InternalMemorySize>40GB</InternalMemorySize>
                      <ProcessorProperty><Key>cc</Key><Value>8.0</Value></ProcessorProperty>
                      <ProcessorProperty><Key>nvlink</Key><Value>yes</Value></ProcessorProperty>
                    </Processor>
                    <Processor Name="Xeon">
                      <ComputingUnits>16</ComputingUnits>
                      <Architecture>x86_64</Architecture>
                      <Speed>2.6</Speed>
                      <Vendor>intel</Vendor>
                    </Processor>
                    <Memory><Type>DDR5</Type><Size>256 GB</Size></Memory>
                    <Storage><Size>2TB</Size><Type>SSD</Type><Bandwidth>500</Bandwidth></Storage>
                    <OperatingSystem><Type>linux</Type><Distribution>Debian</Distribution><Version>12</Version></OperatingSystem>
                    <Software><Application>CUDA</Application><Application>Java</Application></Software>
                    <Software><Application>Python</Application></Software>
                    <SharedDisks><AttachedDisk Name="scratch"><MountPoint> /scratch </MountPoint></AttachedDisk></SharedDisks>
                    <Ports><MinPort>43001</MinPort><MaxPort>43010</MaxPort></Ports>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertThat(resources.sharedDisks()).containsExactly(new SharedDisk("gpfs", 10L << 40),
                new SharedDisk("scratch", -1));
        ComputeNode node = resources.node("gpu1").orElseThrow();
        assertThat(node.line()).isEqualTo(8);
        assertThat(node.column()).isEqualTo(28); // just after the start tag
        assertThat(node.processors()).extracting(Processor::name).containsExactly("Xeon", "A100");
        Processor xeon = node.processors().get(0);
        assertThat(xeon).isEqualTo(new Processor("Xeon", ProcessorType.CPU, Architecture.AMD64, 16, 2.6, -1, "INTEL",
                java.util.Map.of()));
        Processor a100 = node.processors().get(1);
        assertThat(a100.type()).isEqualTo(ProcessorType.GPU);
        assertThat(a100.architecture()).isNull();
        assertThat(a100.computingUnits()).isEqualTo(4);
        assertThat(a100.speedGhz()).isZero();
        assertThat(a100.memoryBytes()).isEqualTo(40 * GB);
        assertThat(a100.vendor()).isEqualTo("NVIDIA");
        assertThat(a100.properties()).containsOnly(entry("cc", "8.0"), entry("nvlink", "yes"));
        assertThat(node.memoryBytes()).isEqualTo(256 * GB);
        assertThat(node.storageBytes()).isEqualTo(2048 * GB);
        assertThat(node.storageType()).isEqualTo("SSD");
        assertThat(node.operatingSystem()).isEqualTo(new OperatingSystem("Linux", "Debian", "12"));
        assertThat(node.software()).containsExactlyInAnyOrder("CUDA", "Java", "Python");
        assertThat(node.sharedDisks()).containsOnly(entry("gpfs", "/gpfs"), entry("scratch", "/scratch"));
        assertThat(node.minPort()).isEqualTo(43001);
        assertThat(node.maxPort()).isEqualTo(43010);
        assertThat(node.cpuComputingUnits()).isEqualTo(16);
        assertThat(node.gpuCount()).isEqualTo(4);
        assertThat(node.architecture()).isEqualTo(Architecture.AMD64);
    }

    @Test
    void optionalElements_haveTheirDefaults() throws ResourcesFileException {
        ComputeNode node = read("""
                <ResourcesList>
                  <ComputeNode Name="small">
                    <Processor Name="P"><ComputingUnits>2</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """).nodes().get(0);

        assertThat(node.processors()).containsExactly(
                new Processor("P", ProcessorType.CPU, null, 2, 0, -1, "", java.util.Map.of()));
        assertThat(node.memoryBytes()).isEqualTo(-1);
        assertThat(node.storageBytes()).isEqualTo(-1);
        assertThat(node.storageType()).isEmpty();
        assertThat(node.operatingSystem()).isNull();
        assertThat(node.software()).isEmpty();
        assertThat(node.sharedDisks()).isEmpty();
        assertThat(node.minPort()).isZero();
        assertThat(node.maxPort()).isZero();
        assertThat(node.architecture()).isNull();
    }

    @Test
    void emptyResourcesList_hasNoNodes() throws ResourcesFileException {
        assertThat(read("<ResourcesList/>").nodes()).isEmpty();
    }

    @Test
    void processors_listCpusFirstInDeclarationOrder_thenTheOthers() throws ResourcesFileException {
        ComputeNode node = read("""
                <ResourcesList>
                  <ComputeNode Name="mixed">
                    <Processor Name="fpga"><Type>FPGA</Type><ComputingUnits>1</ComputingUnits></Processor>
                    <Processor Name="socket0"><ComputingUnits>8</ComputingUnits></Processor>
                    <Processor Name="gpu"><Type>GPU</Type><ComputingUnits>2</ComputingUnits></Processor>
                    <Processor Name="socket1"><Type>CPU</Type><ComputingUnits>8</ComputingUnits></Processor>
                    <Processor Name="npu"><Type>other</Type><ComputingUnits>1</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """).nodes().get(0);

        assertThat(node.processors()).extracting(Processor::name)
                .containsExactly("socket0", "socket1", "fpga", "gpu", "npu");
        assertThat(node.processors()).extracting(Processor::type).containsExactly(ProcessorType.CPU,
                ProcessorType.CPU, ProcessorType.FPGA, ProcessorType.GPU, ProcessorType.OTHER);
        assertThat(node.cpuComputingUnits()).isEqualTo(16);
        assertThat(node.processors()).extracting(Processor::vendor).containsExactly("", "", "", "NVIDIA", "");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "amd64, AMD64", "x86_64, AMD64", "x86-64, AMD64", "X64, AMD64", "AMD64, AMD64",
        "aarch64, AARCH64", "arm64, AARCH64", "ARM64, AARCH64",
        "ppc64le, PPC64LE", "ppc64el, PPC64LE", "PPC64LE, PPC64LE"
    })
    void architectureAliases_areAccepted(String written, Architecture expected) throws ResourcesFileException {
        ComputeNode node = read("""
                <ResourcesList>
                  <ComputeNode Name="n">
                    <Processor Name="P"><ComputingUnits>1</ComputingUnits><Architecture> %s </Architecture></Processor>
                  </ComputeNode>
                </ResourcesList>
                """.formatted(written)).nodes().get(0);

        assertThat(node.architecture()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "GPU {0} -> {1}")
    @CsvSource({
        "MI250, AMD", "MI250X, AMD", "mi300x, AMD", "AMD-MI100, AMD", "Instinct, AMD", "Radeon Pro W7900, AMD",
        "A100, NVIDIA", "V100, NVIDIA", "H100, NVIDIA", "Mirage, NVIDIA", "GPU0, NVIDIA"
    })
    void gpuVendor_whenNotGiven_isInferredFromTheName(String name, String vendor) throws ResourcesFileException {
        ComputeNode node = read("""
                <ResourcesList>
                  <ComputeNode Name="n">
                    <Processor Name="CPU"><ComputingUnits>1</ComputingUnits></Processor>
                    <Processor Name="%s"><Type>GPU</Type><ComputingUnits>1</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """.formatted(name)).nodes().get(0);

        Processor gpu = node.processors().get(1);
        assertThat(gpu.vendor()).isEqualTo(vendor);
        assertThat(gpu.isAmdGpu()).isEqualTo(vendor.equals("AMD"));
    }

    @Test
    void givenVendor_isStoredUpperCase_andWinsOverTheName() throws ResourcesFileException {
        ComputeNode node = read("""
                <ResourcesList>
                  <ComputeNode Name="n">
                    <Processor Name="EPYC"><ComputingUnits>8</ComputingUnits><Vendor>Amd</Vendor></Processor>
                    <Processor Name="MI-branded"><Type>GPU</Type><ComputingUnits>1</ComputingUnits><Vendor>nvidia</Vendor></Processor>
                  </ComputeNode>
                </ResourcesList>
                """).nodes().get(0);

        assertThat(node.processors()).extracting(Processor::vendor).containsExactly("AMD", "NVIDIA");
    }

    @Test
    void sharedDisk_mountedBothWays_endsUpInTheNodesMounts() throws ResourcesFileException {
        Resources resources = read("""
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="P"><ComputingUnits>1</ComputingUnits></Processor>
                    <SharedDisks>
                      <AttachedDisk Name="gpfs"><MountPoint>/gpfs</MountPoint></AttachedDisk>
                    </SharedDisks>
                  </ComputeNode>
                  <ComputeNode Name="cpu2">
                    <Processor Name="P"><ComputingUnits>1</ComputingUnits></Processor>
                  </ComputeNode>
                  <SharedDisk Name="gpfs">
                    <MountedOn Node="cpu2" MountPoint="/mnt/gpfs"/>
                    <MountedOn Node="cpu1" MountPoint="/gpfs"/>
                  </SharedDisk>
                </ResourcesList>
                """);

        assertThat(resources.node("cpu1").orElseThrow().sharedDisks()).containsOnly(entry("gpfs", "/gpfs"));
        assertThat(resources.node("cpu2").orElseThrow().sharedDisks()).containsOnly(entry("gpfs", "/mnt/gpfs"));
    }

    @Test
    void ports_comeFromTheNode_elseFromTheFirstAdaptorThatHasThem() throws ResourcesFileException {
        Resources resources = read("""
                <ResourcesList>
                  <ComputeNode Name="own">
                    <Processor Name="P"><ComputingUnits>1</ComputingUnits></Processor>
                    <Adaptors>
                      <Adaptor Name="es.bsc.compss.nio.master.NIOAdaptor">
                        <Ports><MinPort>43001</MinPort><MaxPort>43002</MaxPort></Ports>
                      </Adaptor>
                    </Adaptors>
                    <Ports><MinPort>44001</MinPort><MaxPort>44002</MaxPort></Ports>
                  </ComputeNode>
                  <ComputeNode Name="adaptor">
                    <Processor Name="P"><ComputingUnits>1</ComputingUnits></Processor>
                    <Adaptors>
                      <Adaptor Name="es.bsc.compss.gat.master.GATAdaptor">
                        <BrokerAdaptor>sshtrilead</BrokerAdaptor>
                      </Adaptor>
                      <Adaptor Name="es.bsc.compss.nio.master.NIOAdaptor">
                        <Ports><MinPort>45001</MinPort><MaxPort>45002</MaxPort><SpawnerPort>45003</SpawnerPort></Ports>
                      </Adaptor>
                    </Adaptors>
                  </ComputeNode>
                </ResourcesList>
                """);

        ComputeNode own = resources.node("own").orElseThrow();
        assertThat(List.of(own.minPort(), own.maxPort())).containsExactly(44001, 44002);
        ComputeNode adaptor = resources.node("adaptor").orElseThrow();
        assertThat(List.of(adaptor.minPort(), adaptor.maxPort())).containsExactly(45001, 45002);
    }

    @Test
    void nodes_keepFileOrder_andTheirPositions() throws ResourcesFileException {
        Resources resources = read("""
                <ResourcesList>
                  <ComputeNode Name="b"><Processor Name="P"><ComputingUnits>1</ComputingUnits></Processor></ComputeNode>
                  <ComputeNode Name="a">
                    <Processor Name="P"><ComputingUnits>1</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertThat(resources.nodes()).extracting(ComputeNode::name).containsExactly("b", "a");
        assertThat(resources.nodes()).extracting(ComputeNode::line).containsExactly(2, 3);
        assertThat(resources.nodes()).extracting(ComputeNode::column).containsExactly(25, 25);
    }

    @Test
    void readingInParallel_sharesTheCachedBindingsSafely() throws Exception {
        Path file = TestFiles.write(dir, "resources.xml", """
                <ResourcesList>
                  <ComputeNode Name="n"><Processor Name="P"><ComputingUnits>3</ComputingUnits></Processor></ComputeNode>
                </ResourcesList>
                """);
        List<Integer> units = java.util.stream.IntStream.range(0, 32).parallel().mapToObj(i -> {
            try {
                return ResourcesFiles.readResources(file).nodes().get(0).cpuComputingUnits();
            } catch (ResourcesFileException e) {
                throw new AssertionError(e);
            }
        }).toList();

        assertThat(units).hasSize(32).containsOnly(3);
    }

    @Test
    void byteOrderMarkAndWindowsLineEnds_areReadWithTheSamePositions() throws Exception {
        String xml = "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<ResourcesList>\r\n"
                + "  <ComputeNode Name=\"n\">\r\n"
                + "    <Processor Name=\"P\"><ComputingUnits>2</ComputingUnits></Processor>\r\n"
                + "  </ComputeNode>\r\n</ResourcesList>\r\n";
        Path file = dir.resolve("resources.xml");
        java.nio.file.Files.write(file, xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        ComputeNode node = ResourcesFiles.readResources(file).nodes().get(0);

        assertThat(List.of(node.line(), node.column())).containsExactly(3, 25);
    }
}
