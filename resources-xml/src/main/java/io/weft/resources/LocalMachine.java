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

    /** Describes the machine this JVM runs on. */
    public static LocalMachine describe() {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return new LocalMachine(lookUpHostName(), Runtime.getRuntime().availableProcessors(), memory,
                architecture(System.getProperty("os.arch", "unknown")), System.getProperty("os.name", "unknown"));
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
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d cores, %s, %s, %s", hostName, computingUnits,
                memoryBytes < 0 ? "memory unknown" : (memoryBytes >> 20) + " MB", architecture, operatingSystem);
    }
}
