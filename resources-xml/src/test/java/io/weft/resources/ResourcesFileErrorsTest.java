package io.weft.resources;

import static io.weft.resources.TestFiles.assertProblem;
import static io.weft.resources.TestFiles.resourcesError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of mistake in a resources file is reported as {@code file:line:column: problem}, pointing at the
 * element concerned (just after its start tag), naming it, and saying what was found and what is accepted.
 */
class ResourcesFileErrorsTest {
    private static final String FILE = "resources.xml";

    @TempDir
    Path dir;

    // ---- the file itself ----

    @Test
    void missingFile_isReportedAtLineZero() {
        Path file = dir.resolve("nowhere.xml");

        ResourcesFileException e = assertThrows(ResourcesFileException.class, () -> ResourcesFiles.readResources(file));

        assertProblem(e, "nowhere.xml", 0, 0, "no such file", "resources file");
    }

    @Test
    void oversizedFile_isRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve(FILE);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(200L << 20); // sparse: nothing is written
        }

        ResourcesFileException e = assertThrows(ResourcesFileException.class, () -> ResourcesFiles.readResources(file));

        assertProblem(e, FILE, 0, 0, "is 200 MiB", "at most 32 MiB");
    }

    @Test
    void directory_isReportedAtLineZero() {
        ResourcesFileException e = assertThrows(ResourcesFileException.class, () -> ResourcesFiles.readResources(dir));

        assertProblem(e, dir.getFileName().toString(), 0, 0, "is a directory");
    }

    @Test
    void unreadableFile_isReportedAtLineZero() throws Exception {
        Path file = TestFiles.write(dir, FILE, "<ResourcesList/>");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(file), "running as a user who can read anything (root)");

        ResourcesFileException e = assertThrows(ResourcesFileException.class, () -> ResourcesFiles.readResources(file));

        assertProblem(e, FILE, 0, 0, "cannot be read", "permission denied");
    }

    @Test
    void emptyFile_isReportedAtLineZero() {
        ResourcesFileException e = resourcesError(dir, "  \n\n");

        assertProblem(e, FILE, 0, 0, "the file is empty", "starts with <ResourcesList>");
    }

    @Test
    void malformedXml_isReportedWhereTheParserStopped() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 5, "not well-formed XML", "\"Processor\"", "</Processor>");
    }

    @Test
    void doctypeWithExternalEntity_isRejectedWithoutReadingTheEntity() {
        Path secret = TestFiles.write(dir, "secret.txt", "top-secret-contents");
        ResourcesFileException e = resourcesError(dir, """
                <?xml version="1.0"?>
                <!DOCTYPE ResourcesList [ <!ENTITY secret SYSTEM "%s"> ]>
                <ResourcesList>
                  <ComputeNode Name="&secret;"/>
                </ResourcesList>
                """.formatted(secret.toUri()));

        String message = assertProblem(e, FILE, 2, 10, "DOCTYPE declarations are not allowed",
                "external entities are never read");
        assertThat(message).doesNotContain("top-secret-contents");
    }

    @Test
    void externalDtd_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <!DOCTYPE ResourcesList SYSTEM "http://example.invalid/resources.dtd">
                <ResourcesList/>
                """);

        assertProblem(e, FILE, 1, 10, "DOCTYPE declarations are not allowed");
    }

    @Test
    void projectFileGivenAsResources_saysSo() {
        ResourcesFileException e = resourcesError(dir, """
                <?xml version="1.0"?>
                <Project>
                  <MasterNode/>
                </Project>
                """);

        assertProblem(e, FILE, 2, 10, "this is a project file (root element <Project>), not a resources file",
                "a resources file starts with <ResourcesList>");
    }

    @Test
    void unknownRootElement_suggestsTheRightOne() {
        ResourcesFileException e = resourcesError(dir, "<ResourceList/>\n");

        assertProblem(e, FILE, 1, 16, "found root element <ResourceList>", "starts with <ResourcesList>",
                "did you mean <ResourcesList>?");
    }

    @Test
    void namespacedRoot_isRejected() {
        ResourcesFileException e = resourcesError(dir, "<ResourcesList xmlns=\"http://example.org/r\"/>\n");

        assertProblem(e, FILE, 1, 46, "XML namespace 'http://example.org/r'", "remove the xmlns attribute");
    }

    // ---- the schema ----

    @Test
    void misspeltElement_isRejectedWithASuggestion() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Procesor Name="Xeon">
                      <ComputingUnits>4</ComputingUnits>
                    </Procesor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 3, 27, "unexpected element <Procesor> in <ComputeNode Name=\"cpu1\">",
                "expected <Processor>, <Memory>", "did you mean <Processor>?");
    }

    @Test
    void compssElementWeftDoesNotSupport_isNamedAsSuch() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <DataNode Name="dn"/>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 24, "unexpected element <DataNode> in <ResourcesList>",
                "COMPSs' <DataNode> is not supported by Weft", "expected <SharedDisk> or <ComputeNode>");
    }

    @Test
    void nonIntegerComputingUnits_isOneMessageNamingElementAndValue() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon">
                      <ComputingUnits>four</ComputingUnits>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        String message = assertProblem(e, FILE, 4, 23,
                "<ComputingUnits> of processor 'Xeon' on node 'cpu1': found 'four'; expected a whole number");
        assertThat(message).doesNotContain("is not valid").doesNotContain(";;");
    }

    @Test
    void hugeComputingUnits_saysTheLimit() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>99999999999</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 3, 44, "found '99999999999'", "no larger than 2147483647");
    }

    @Test
    void nonNumericSpeed_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits><Speed>fast</Speed></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 3, 69, "<Speed> of processor 'Xeon' on node 'cpu1': found 'fast'; expected a number");
    }

    @Test
    void missingNameAttribute_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode>
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 16, "<ComputeNode> has no Name attribute; it is required");
    }

    @Test
    void lowerCaseNameAttribute_suggestsName() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 28, "<ComputeNode>: attribute name is not accepted", "did you mean Name?");
    }

    @Test
    void incompleteElement_namesWhatIsMissing() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <SharedDisk Name="gpfs"/>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <SharedDisks>
                      <AttachedDisk Name="gpfs"></AttachedDisk>
                    </SharedDisks>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 6, 33,
                "<AttachedDisk Name=\"gpfs\"> in <SharedDisks> on node 'cpu1' is incomplete: <MountPoint> is missing");
    }

    @Test
    void textAmongElements_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    sixteen cores
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 28, "<ComputeNode Name=\"cpu1\"> may only contain elements, not text",
                "found 'sixteen cores'");
    }

    @Test
    void misplacedPortsChild_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Ports><MaxPort>43002</MaxPort><MinPort>43001</MinPort></Ports>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 21, "unexpected element <MaxPort> in <Ports> on node 'cpu1'",
                "expected <MinPort>");
    }

    // ---- what the values mean ----

    @Test
    void unknownArchitecture_isRejectedWithLineAndColumn() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon">
                      <ComputingUnits>16</ComputingUnits>
                      <Architecture>sparc64</Architecture>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 21, "<Architecture> of processor 'Xeon' on node 'cpu1'",
                "unknown architecture 'sparc64'", "accepted: " + Architecture.accepted());
    }

    @Test
    void unknownProcessorType_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="tpu1">
                    <Processor Name="v4">
                      <ComputingUnits>4</ComputingUnits>
                      <Type>TPU</Type>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 13, "<Type> of processor 'v4' on node 'tpu1'", "unknown processor type 'TPU'",
                "accepted: CPU, GPU, FPGA, OTHER");
    }

    @Test
    void unknownOperatingSystem_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <OperatingSystem>
                      <Type>Ubuntu</Type>
                    </OperatingSystem>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 13, "<Type> in <OperatingSystem> on node 'cpu1'",
                "unknown operating system type 'Ubuntu'", "accepted: Linux, Windows, MacOS, FreeBSD, SunOS",
                "<Distribution>");
    }

    @Test
    void operatingSystemWithoutType_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <OperatingSystem><Distribution>Debian</Distribution></OperatingSystem>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 22, "<OperatingSystem> on node 'cpu1' has no <Type>; it is required",
                "Linux, Windows");
    }

    @Test
    void zeroComputingUnits_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon">
                      <ComputingUnits>0</ComputingUnits>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 23, "<ComputingUnits> of processor 'Xeon' on node 'cpu1': found 0",
                "expected a whole number of at least 1");
    }

    @Test
    void negativeComputingUnits_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="gpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Processor Name="A100"><Type>GPU</Type><ComputingUnits>-2</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 60, "<ComputingUnits> of processor 'A100' on node 'gpu1': found -2");
    }

    @Test
    void processorWithoutComputingUnits_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><Architecture>amd64</Architecture></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 3, 28, "<Processor Name=\"Xeon\"> on node 'cpu1' has no <ComputingUnits>",
                "it is required");
    }

    @Test
    void nodeWithoutProcessor_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Memory><Size>8GB</Size></Memory>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 28, "<ComputeNode Name=\"cpu1\"> has no <Processor>", "declare at least one");
    }

    @Test
    void nodeWithOnlyAGpu_isRejected_forItCouldNeverRunATask() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="gpu9">
                    <Processor Name="A100">
                      <Type>GPU</Type>
                      <ComputingUnits>4</ComputingUnits>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 28, "<ComputeNode Name=\"gpu9\"> has no CPU processor", "GPU A100",
                "every task holds at least one core");
    }

    @Test
    void negativeSpeed_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon">
                      <ComputingUnits>4</ComputingUnits>
                      <Speed>-2.5</Speed>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 14, "<Speed> of processor 'Xeon' on node 'cpu1': found -2.5",
                "expected a clock speed in GHz, 0 or more");
    }

    @Test
    void unparsableSize_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Memory>
                      <Size>6 GX</Size>
                    </Memory>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 13, "<Size> in <Memory> on node 'cpu1'", "'6 GX' is not a size",
                Sizes.ACCEPTED);
    }

    @Test
    void unparsableDeviceMemory_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="gpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Processor Name="A100">
                      <Type>GPU</Type><ComputingUnits>4</ComputingUnits>
                      <InternalMemorySize>forty</InternalMemorySize>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 6, 27, "<InternalMemorySize> of processor 'A100' on node 'gpu1'",
                "'forty' is not a size");
    }

    @Test
    void portOutOfRange_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Ports>
                      <MinPort>43001</MinPort>
                      <MaxPort>70000</MaxPort>
                    </Ports>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 6, 16, "<MaxPort> in <Ports> on node 'cpu1': found 70000",
                "expected a port number from 1 to 65535");
    }

    @Test
    void zeroPortInACompssAdaptor_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Adaptors>
                      <Adaptor Name="es.bsc.compss.nio.master.NIOAdaptor">
                        <Ports><MinPort>0</MinPort><MaxPort>43002</MaxPort></Ports>
                      </Adaptor>
                    </Adaptors>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 6, 25,
                "<MinPort> in <Ports> of adaptor 'es.bsc.compss.nio.master.NIOAdaptor' on node 'cpu1': found 0",
                "from 1 to 65535");
    }

    @Test
    void minPortAboveMaxPort_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Ports><MinPort>43010</MinPort><MaxPort>43001</MaxPort></Ports>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 12, "<Ports> on node 'cpu1': <MinPort> 43010 is greater than <MaxPort> 43001",
                "expected MinPort <= MaxPort");
    }

    @Test
    void duplicatedComputeNodeName_pointsAtTheSecond_andSaysWhereTheFirstIs() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                  </ComputeNode>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>8</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 28, "<ComputeNode Name=\"cpu1\">: duplicated compute node name 'cpu1'",
                "the first <ComputeNode Name=\"cpu1\"> is at line 2, column 28", "Names must be unique");
    }

    @Test
    void duplicatedSharedDiskName_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <SharedDisk Name="gpfs"/>
                  <SharedDisk Name="gpfs">
                    <Storage><Size>1TB</Size></Storage>
                  </SharedDisk>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 3, 27, "<SharedDisk Name=\"gpfs\">: duplicated shared disk name 'gpfs'",
                "the first <SharedDisk Name=\"gpfs\"> is at line 2, column 28");
    }

    @Test
    void emptyNodeName_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name=" ">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 2, 25, "the name is empty", "expected a name such as cpu1");
    }

    @Test
    void attachedDiskNamingAnUndeclaredSharedDisk_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <SharedDisk Name="gpfs"/>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <SharedDisks>
                      <AttachedDisk Name="gpsf"><MountPoint>/gpfs</MountPoint></AttachedDisk>
                    </SharedDisks>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 6, 33, "<AttachedDisk Name=\"gpsf\"> in <SharedDisks> on node 'cpu1'",
                "no <SharedDisk Name=\"gpsf\"> is declared in this file", "declared shared disks: gpfs",
                "did you mean 'gpfs'?");
    }

    @Test
    void mountedOnNamingAMissingNode_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <SharedDisk Name="gpfs">
                    <MountedOn Node="cpu1" MountPoint="/gpfs"/>
                    <MountedOn Node="cpu9" MountPoint="/gpfs"/>
                  </SharedDisk>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                  </ComputeNode>
                  <ComputeNode Name="cpu2">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 4, 48, "<MountedOn Node=\"cpu9\"> of shared disk 'gpfs'",
                "no <ComputeNode Name=\"cpu9\"> in this file", "it declares: cpu1, cpu2");
    }

    @Test
    void diskMountedTwiceOnANodeAtDifferentPoints_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <SharedDisk Name="gpfs">
                    <MountedOn Node="cpu1" MountPoint="/gpfs"/>
                  </SharedDisk>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <SharedDisks><AttachedDisk Name="gpfs"><MountPoint>/mnt/gpfs</MountPoint></AttachedDisk></SharedDisks>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 7, 44, "shared disk 'gpfs' is already mounted on node 'cpu1' at /gpfs (line 3, column 48)",
                "found mount point /mnt/gpfs");
    }

    @Test
    void childGivenTwice_pointsAtTheSecond() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon"><ComputingUnits>4</ComputingUnits></Processor>
                    <Memory><Size>8GB</Size></Memory>
                    <Memory><Size>16GB</Size></Memory>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 5, 13, "<Memory> on node 'cpu1': given twice; the first is at line 4, column 13");
    }

    @Test
    void duplicatedProcessorPropertyKey_isRejected() {
        ResourcesFileException e = resourcesError(dir, """
                <ResourcesList>
                  <ComputeNode Name="cpu1">
                    <Processor Name="Xeon">
                      <ComputingUnits>4</ComputingUnits>
                      <ProcessorProperty><Key>cache</Key><Value>32MB</Value></ProcessorProperty>
                      <ProcessorProperty><Key>cache</Key><Value>64MB</Value></ProcessorProperty>
                    </Processor>
                  </ComputeNode>
                </ResourcesList>
                """);

        assertProblem(e, FILE, 6, 26, "<ProcessorProperty> of processor 'Xeon' on node 'cpu1': key 'cache' given twice");
    }
}
