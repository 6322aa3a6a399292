package io.weft.resources;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The machine the program runs on, as it describes itself: cores available to this JVM, physical memory,
 * processor architecture and operating system. Immutable.
 *
 * @param hostName the host's name
 * @param computingUnits cores available to the JVM (honours container and affinity limits)
 * @param memoryBytes physical memory, or {@code -1} if the JVM cannot tell
 * @param architecture the processor architecture in Weft's vocabulary: {@code amd64}, {@code aarch64},
 *     {@code ppc64le}, or the JVM's own name for anything else
 * @param operatingSystem the operating system's name, e.g. {@code Linux}
 */
public record LocalMachine(
        String hostName, int computingUnits, long memoryBytes, String architecture, String operatingSystem) {

    /**
     * Describes the machine this JVM runs on. On Linux it reads {@code /proc}, which takes well under a
     * millisecond; elsewhere the JVM's management beans and a host-name lookup, which take tens of milliseconds
     * of every run's start.
     */
    public static LocalMachine describe() {
        long memory = linuxMemory();
        if (memory < 0
                && ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new LocalMachine(lookUpHostName(), Runtime.getRuntime().availableProcessors(), memory,
                architecture(System.getProperty("os.arch", "unknown")), System.getProperty("os.name", "unknown"));
    }

    /** {@code MemTotal} from {@code /proc/meminfo}, or {@code -1}. */
    private static long linuxMemory() {
        try {
            for (String line : read("/proc/meminfo").split("\n")) {
                if (line.startsWith("MemTotal:")) {
                    String[] words = line.trim().split("\\s+");
                    return Long.parseLong(words[1]) * 1024; // the file says kB, meaning KiB
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Not Linux, or not readable: fall back to the management bean.
        }
        return -1;
    }

    /** Maps the JVM's {@code os.arch} to the names resources files use. */
    static String architecture(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "aarch64";
            case "ppc64le" -> "ppc64le";
            default -> osArch;
        };
    }

    private static String lookUpHostName() {
        try {
            String name = read("/proc/sys/kernel/hostname").trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Fall back to the resolver.
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /**
     * A small file's text. A stream rather than {@code Files.readString}: the JVM has its classes loaded already,
     * not those of NIO's file channels (some 30 classes, several milliseconds of the runtime's start).
     */
    private static String read(String file) throws java.io.IOException {
        try (java.io.InputStream in = new java.io.FileInputStream(file)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d cores, %s, %s, %s", hostName, computingUnits,
                memoryBytes < 0 ? "memory unknown" : (memoryBytes >> 20) + " MB", architecture, operatingSystem);
    }
}
