package io.weft.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * The resources.xml and project.xml of a SLURM job, and the command line of each node's worker: what SLURM allocated,
 * written the way {@code docs/resources-files.md} describes, with every node {@code <External Launcher="srun">}.
 * Pure: the same allocation always gives the same text.
 */
final class NodeFiles {
    /**
     * One worker of the job.
     *
     * @param node the SLURM node it runs on, and its name in the files
     * @param cpus the cores it hands out to tasks
     * @param memoryMb the memory tasks may reserve there, in MiB, or -1 when unknown
     * @param gpus the GPUs it hands out
     * @param workDir the folder it works in
     */
    record Worker(String node, int cpus, long memoryMb, int gpus, String workDir) {}

    private NodeFiles() {}

    /** {@code resources.xml}: each worker's node, with its CPUs, GPUs and memory. */
    static String resources(List<Worker> workers, String architecture) {
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<!-- Written by weft submit's job from what SLURM allocated. -->\n");
        b.append("<ResourcesList>\n");
        for (Worker w : workers) {
            b.append("  <ComputeNode Name=\"").append(xml(w.node())).append("\">\n");
            b.append("    <Processor Name=\"CPU\">\n");
            b.append("      <ComputingUnits>").append(w.cpus()).append("</ComputingUnits>\n");
            if (!architecture.isEmpty()) {
                b.append("      <Architecture>").append(xml(architecture)).append("</Architecture>\n");
            }
            b.append("    </Processor>\n");
            if (w.gpus() > 0) {
                b.append("    <Processor Name=\"GPU\">\n");
                b.append("      <Type>GPU</Type>\n");
                b.append("      <ComputingUnits>").append(w.gpus()).append("</ComputingUnits>\n");
                b.append("    </Processor>\n");
            }
            if (w.memoryMb() > 0) {
                b.append("    <Memory>\n");
                b.append("      <Size>").append(w.memoryMb()).append("MiB</Size>\n");
                b.append("    </Memory>\n");
            }
            b.append("    <OperatingSystem>\n");
            b.append("      <Type>Linux</Type>\n");
            b.append("    </OperatingSystem>\n");
            b.append("  </ComputeNode>\n");
        }
        b.append("</ResourcesList>\n");
        return b.toString();
    }

    /**
     * {@code project.xml}: the master's port (and address, when told which interface), and every worker adopted.
     *
     * @param masterHost the address the master listens on, or empty for every interface
     */
    static String project(List<Worker> workers, String masterHost, int masterPort, String installDir) {
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<!-- Written by weft submit's job: each worker is started by srun and connects to the master. -->\n");
        b.append("<Project>\n");
        b.append("  <MasterNode>\n");
        if (!masterHost.isEmpty()) {
            b.append("    <Host>").append(xml(masterHost)).append("</Host>\n");
        }
        b.append("    <Port>").append(masterPort).append("</Port>\n");
        b.append("  </MasterNode>\n");
        for (Worker w : workers) {
            b.append("  <ComputeNode Name=\"").append(xml(w.node())).append("\">\n");
            b.append("    <InstallDir>").append(xml(installDir)).append("</InstallDir>\n");
            b.append("    <WorkingDir>").append(xml(w.workDir())).append("</WorkingDir>\n");
            b.append("    <Launch>\n");
            b.append("      <External Launcher=\"srun\"/>\n");
            b.append("    </Launch>\n");
            b.append("  </ComputeNode>\n");
        }
        b.append("</Project>\n");
        return b.toString();
    }

    /**
     * The arguments of {@code weft worker} for {@code w}, as a picocli argument file ({@code weft worker @file}): one
     * argument a line, each quoted.
     */
    static String workerArguments(Worker w, String master, String classPath, List<String> jvmOptions,
            java.nio.file.Path logFile) {
        List<String> args = new ArrayList<>(List.of("--master", master, "--node", w.node(), "-cp", classPath,
                "--work-dir", w.workDir(), "--cores", String.valueOf(w.cpus()),
                // As for the workers a master starts: a master stopped a while (a long GC) finds them still there.
                "--master-timeout", "120000", "--log-file", logFile.toString()));
        if (w.memoryMb() > 0) {
            args.add("--memory");
            args.add(String.valueOf(w.memoryMb() * 1024 * 1024));
        }
        if (w.gpus() > 0) {
            List<String> gpus = new ArrayList<>();
            for (int i = 0; i < w.gpus(); i++) {
                gpus.add("GPU:-1:NVIDIA");
            }
            args.add("--gpus");
            args.add(String.join(",", gpus));
        }
        for (String o : jvmOptions) {
            args.add("--jvm-option=" + o);
        }
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            b.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        return b.toString();
    }

    /** Weft's name for this JVM's instruction set, or empty when it has none. */
    static String architecture(String osArch) {
        switch (osArch) {
            case "amd64":
            case "x86_64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "aarch64";
            case "ppc64le":
                return "ppc64le";
            default:
                return "";
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
