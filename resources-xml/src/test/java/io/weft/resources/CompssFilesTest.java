package io.weft.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written for COMPSs load unchanged (within what Weft supports). */
class CompssFilesTest {
    @TempDir
    Path dir;

    /** The minimal local pair most COMPSs tests use (tests/sources/local/java/0_basic_tasks). */
    @Test
    void minimalCompssPair_loads() throws ResourcesFileException {
        Path resources = TestFiles.write(dir, "resources.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <ResourcesList>
                  <ComputeNode Name="COMPSsWorker01">
                    <Processor Name="MainProcessor"><ComputingUnits>4</ComputingUnits></Processor>
                    <Adaptors>
                      <Adaptor Name="es.bsc.compss.nio.master.NIOAdaptor">
                        <SubmissionSystem><Interactive/></SubmissionSystem>
                        <Ports><MinPort>43001</MinPort><MaxPort>43002</MaxPort></Ports>
                      </Adaptor>
                    </Adaptors>
                  </ComputeNode>
                </ResourcesList>
                """);
        Path project = TestFiles.write(dir, "project.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Project>
                  <MasterNode/>
                  <ComputeNode Name="COMPSsWorker01">
                    <InstallDir>/opt/COMPSs/</InstallDir>
                    <WorkingDir>/tmp/COMPSsWorker01/</WorkingDir>
                    <LimitOfTasks>1</LimitOfTasks>
                  </ComputeNode>
                </Project>
                """);

        Deployment deployment = Deployment.load(resources, project);

        assertThat(deployment.workers()).hasSize(1);
        Deployment.Worker worker = deployment.workers().get(0);
        assertThat(worker.node().name()).isEqualTo("COMPSsWorker01");
        assertThat(worker.node().cpuComputingUnits()).isEqualTo(4);
        assertThat(worker.node().minPort()).isEqualTo(43001);
        assertThat(worker.node().maxPort()).isEqualTo(43002);
        assertThat(worker.settings().limitOfTasks()).isEqualTo(1);
        assertThat(worker.settings().launch()).isEqualTo(new Launch.Process());
        assertThat(worker.taskSlots()).isEqualTo(1);
    }

    /** The full compute node of COMPSs' examples/full/resources.xml: float sizes in GB, Price, GAT adaptor… */
    @Test
    void fullCompssComputeNode_loads() throws ResourcesFileException {
        Path file = TestFiles.write(dir, "resources.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <ResourcesList>
                    <SharedDisk Name="DiskFull">
                        <Storage>
                            <Size>100.0</Size>
                            <Type>Persistent</Type>
                        </Storage>
                    </SharedDisk>
                    <SharedDisk Name="DiskEmpty"/>
                    <ComputeNode Name="localhost_full">
                        <Processor Name="P1">
                            <ComputingUnits>4</ComputingUnits>
                            <Architecture>amd64</Architecture>
                            <Speed>3.0</Speed>
                            <ProcessorProperty>
                                <Key>procKey</Key>
                                <Value>procValue</Value>
                            </ProcessorProperty>
                        </Processor>
                        <Processor Name="P3">
                            <ComputingUnits>4</ComputingUnits>
                            <Speed>3.0</Speed>
                            <Type>GPU</Type>
                            <InternalMemorySize>0.01</InternalMemorySize>
                        </Processor>
                        <Adaptors>
                            <Adaptor Name="es.bsc.compss.nio.master.NIOAdaptor">
                                <SubmissionSystem>
                                    <Interactive/>
                                </SubmissionSystem>
                                <Ports>
                                    <MinPort>43001</MinPort>
                                    <MaxPort>43002</MaxPort>
                                </Ports>
                                <User>user</User>
                                <Properties>
                                    <Property><Name>P1</Name><Value>V1</Value></Property>
                                </Properties>
                            </Adaptor>
                            <Adaptor Name="es.bsc.compss.gat.master.GATAdaptor">
                                <SubmissionSystem>
                                    <Batch><Queue>sequential</Queue></Batch>
                                    <Interactive/>
                                </SubmissionSystem>
                                <BrokerAdaptor>sshtrilead</BrokerAdaptor>
                            </Adaptor>
                        </Adaptors>
                        <Memory>
                            <Size>256.2</Size>
                            <Type>Non-volatile</Type>
                        </Memory>
                        <Storage>
                            <Size>2000.0</Size>
                        </Storage>
                        <OperatingSystem>
                            <Type>Linux</Type>
                            <Distribution>OpenSUSE</Distribution>
                            <Version>13.2</Version>
                        </OperatingSystem>
                        <Software>
                            <Application>Java</Application>
                            <Application>Python</Application>
                        </Software>
                        <SharedDisks>
                            <AttachedDisk Name="DiskFull">
                                <MountPoint>/tmp/SharedDisk/</MountPoint>
                            </AttachedDisk>
                        </SharedDisks>
                        <Price>
                            <TimeUnit>1</TimeUnit>
                            <PricePerUnit>0.12</PricePerUnit>
                        </Price>
                    </ComputeNode>
                </ResourcesList>
                """);

        Resources resources = ResourcesFiles.readResources(file);

        assertThat(resources.sharedDisks()).extracting(SharedDisk::sizeBytes).containsExactly(100L << 30, -1L);
        ComputeNode node = resources.nodes().get(0);
        assertThat(node.memoryBytes()).isEqualTo(Sizes.parse("256.2GB"));
        assertThat(node.storageBytes()).isEqualTo(2000L << 30);
        assertThat(node.processors().get(1).memoryBytes()).isEqualTo(Sizes.parse("0.01GB"));
        assertThat(node.processors().get(0).properties()).containsOnly(entry("procKey", "procValue"));
        assertThat(node.operatingSystem()).isEqualTo(new OperatingSystem("Linux", "OpenSUSE", "13.2"));
        assertThat(node.sharedDisks()).containsOnly(entry("DiskFull", "/tmp/SharedDisk/"));
        assertThat(node.minPort()).isEqualTo(43001);
        assertThat(node.gpuCount()).isEqualTo(4);
    }
}
