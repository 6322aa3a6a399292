package io.weft.resources;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes resources and project descriptions as {@code resources.xml} and {@code project.xml} text that
 * {@link ResourcesFiles} reads back to the same descriptions: what a run folder keeps of a run whose nodes were
 * made up rather than read (this machine, a {@code workers=N} local cluster). Sizes are written in bytes, so
 * nothing is rounded. Pure functions.
 */
public final class DescriptionFiles {
    private DescriptionFiles() {}

    /** The {@code resources.xml} of {@code resources}. */
    public static String resourcesXml(Resources resources, String comment) {
        StringBuilder x = new StringBuilder(header(comment)).append("<ResourcesList>\n");
        for (SharedDisk d : resources.sharedDisks()) {
            x.append("  <SharedDisk Name=\"").append(escape(d.name())).append("\">\n");
            if (d.sizeBytes() >= 0) {
                x.append("    <Storage>\n      <Size>").append(d.sizeBytes()).append("B</Size>\n    </Storage>\n");
            }
            x.append("  </SharedDisk>\n");
        }
        for (ComputeNode n : resources.nodes()) {
            x.append("  <ComputeNode Name=\"").append(escape(n.name())).append("\">\n");
            for (Processor p : n.processors()) {
                x.append("    <Processor Name=\"").append(escape(p.name())).append("\">\n");
                element(x, 6, "Type", p.type().name());
                element(x, 6, "ComputingUnits", String.valueOf(p.computingUnits()));
                if (p.architecture() != null) {
                    element(x, 6, "Architecture", p.architecture().id());
                }
                if (p.speedGhz() > 0) {
                    element(x, 6, "Speed", String.valueOf(p.speedGhz()));
                }
                if (p.memoryBytes() >= 0) {
                    element(x, 6, "InternalMemorySize", p.memoryBytes() + "B");
                }
                if (!p.vendor().isEmpty()) {
                    element(x, 6, "Vendor", p.vendor());
                }
                for (Map.Entry<String, String> e : new TreeMap<>(p.properties()).entrySet()) {
                    x.append("      <ProcessorProperty>\n");
                    element(x, 8, "Key", e.getKey());
                    element(x, 8, "Value", e.getValue());
                    x.append("      </ProcessorProperty>\n");
                }
                x.append("    </Processor>\n");
            }
            if (n.memoryBytes() >= 0) {
                x.append("    <Memory>\n");
                element(x, 6, "Size", n.memoryBytes() + "B");
                x.append("    </Memory>\n");
            }
            if (n.storageBytes() >= 0 || !n.storageType().isEmpty()) {
                x.append("    <Storage>\n");
                if (n.storageBytes() >= 0) {
                    element(x, 6, "Size", n.storageBytes() + "B");
                }
                if (!n.storageType().isEmpty()) {
                    element(x, 6, "Type", n.storageType());
                }
                x.append("    </Storage>\n");
            }
            OperatingSystem os = n.operatingSystem();
            if (os != null && !os.type().isEmpty()) {
                x.append("    <OperatingSystem>\n");
                element(x, 6, "Type", os.type());
                if (!os.distribution().isEmpty()) {
                    element(x, 6, "Distribution", os.distribution());
                }
                if (!os.version().isEmpty()) {
                    element(x, 6, "Version", os.version());
                }
                x.append("    </OperatingSystem>\n");
            }
            if (!n.software().isEmpty()) {
                x.append("    <Software>\n");
                for (String s : new TreeSet<>(n.software())) {
                    element(x, 6, "Application", s);
                }
                x.append("    </Software>\n");
            }
            if (!n.sharedDisks().isEmpty()) {
                x.append("    <SharedDisks>\n");
                for (Map.Entry<String, String> e : new TreeMap<>(n.sharedDisks()).entrySet()) {
                    x.append("      <AttachedDisk Name=\"").append(escape(e.getKey())).append("\">\n");
                    element(x, 8, "MountPoint", e.getValue());
                    x.append("      </AttachedDisk>\n");
                }
                x.append("    </SharedDisks>\n");
            }
            if (n.minPort() > 0) {
                x.append("    <Ports>\n");
                element(x, 6, "MinPort", String.valueOf(n.minPort()));
                element(x, 6, "MaxPort", String.valueOf(n.maxPort()));
                x.append("    </Ports>\n");
            }
            x.append("  </ComputeNode>\n");
        }
        return x.append("</ResourcesList>\n").toString();
    }

    /**
     * The {@code project.xml} of {@code project}.
     *
     * @param installDir written for a node that has none (a project made up for a local cluster), which the file
     *     requires: the folder of the run's Weft jar
     */
    public static String projectXml(Project project, java.nio.file.Path installDir, String comment) {
        StringBuilder x = new StringBuilder(header(comment)).append("<Project>\n");
        MasterNode master = project.master();
        if (master.host().isEmpty() && master.port() == 0) {
            x.append("  <MasterNode/>\n");
        } else {
            x.append("  <MasterNode>\n");
            if (!master.host().isEmpty()) {
                element(x, 4, "Host", master.host());
            }
            if (master.port() != 0) {
                element(x, 4, "Port", String.valueOf(master.port()));
            }
            x.append("  </MasterNode>\n");
        }
        for (ProjectNode n : project.nodes()) {
            x.append("  <ComputeNode Name=\"").append(escape(n.name())).append("\">\n");
            String install = n.installDir().toString();
            element(x, 4, "InstallDir", install.isEmpty() ? installDir.toString() : install);
            element(x, 4, "WorkingDir", n.workingDir().toString());
            if (!n.host().isEmpty()) {
                element(x, 4, "Host", n.host());
            }
            if (!n.user().isEmpty()) {
                element(x, 4, "User", n.user());
            }
            if (!n.classpath().isEmpty() || !n.libraryPath().isEmpty() || !n.environmentScript().isEmpty()) {
                x.append("    <Application>\n");
                if (!n.classpath().isEmpty()) {
                    element(x, 6, "Classpath", n.classpath());
                }
                if (!n.libraryPath().isEmpty()) {
                    element(x, 6, "LibraryPath", n.libraryPath());
                }
                if (!n.environmentScript().isEmpty()) {
                    element(x, 6, "EnvironmentScript", n.environmentScript());
                }
                x.append("    </Application>\n");
            }
            if (n.limitOfTasks() > 0) {
                element(x, 4, "LimitOfTasks", String.valueOf(n.limitOfTasks()));
            }
            x.append("    <Launch>\n");
            if (n.launch() instanceof Launch.Ssh ssh) {
                x.append("      <Ssh>\n");
                element(x, 8, "Command", ssh.command());
                x.append("      </Ssh>\n");
            } else if (n.launch() instanceof Launch.External e) {
                x.append("      <External Launcher=\"").append(escape(e.launcher())).append("\"/>\n");
            } else {
                x.append("      <Process/>\n");
            }
            x.append("    </Launch>\n");
            x.append("  </ComputeNode>\n");
        }
        return x.append("</Project>\n").toString();
    }

    private static String header(String comment) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- " + comment.replace("--", "- -") + " -->\n";
    }

    private static void element(StringBuilder x, int indent, String name, String text) {
        x.append(" ".repeat(indent)).append('<').append(name).append('>').append(escape(text)).append("</")
                .append(name).append(">\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
