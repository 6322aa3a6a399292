package io.weft.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * A port the master can listen on, chosen on the master's node before its workers are told it. Several jobs, of one
 * user or several, may share a node, so no fixed port will do. The port is taken at random <em>below</em> the kernel's
 * ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}) and checked free by binding it: outgoing
 * connections only ever take ephemeral ports, so between this check and the master's bind (a second or two) only
 * another program binding that very port could take it, and then the master says so and the job stops.
 */
final class FreePort {
    /** The lowest port chosen: below it are the well-known and registered services people run. */
    static final int LOWEST = 10000;

    private FreePort() {}

    /** A free port on every interface of this host. */
    static int pick(RandomGenerator random) {
        int[] ephemeral = ephemeralRange(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
        int below = ephemeral[0];
        if (below - LOWEST >= 1000) {
            for (int attempt = 0; attempt < 50; attempt++) {
                int port = LOWEST + random.nextInt(below - LOWEST);
                if (free(port)) {
                    return port;
                }
            }
        }
        // A host whose ephemeral range leaves no room below it: the kernel's choice, free now.
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new LauncherException("cannot find a free port for the master: " + e.getMessage());
        }
    }

    /** The kernel's ephemeral port range, {@code {low, high}}; Linux's default when the file cannot be read. */
    static int[] ephemeralRange(Path file) {
        try {
            String[] parts = Files.readString(file).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
