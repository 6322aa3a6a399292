package io.weft.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where Weft is installed: its jars and its configuration. Two layouts are known: a distribution ({@code bin/},
 * {@code lib/} holding {@code weft-launcher.jar}, {@code weft-agent.jar} and {@code weft-api.jar}, {@code conf/}),
 * and a built checkout, where each jar is in its module's {@code target/} and {@code conf/} is the distribution
 * module's source. Immutable.
 *
 * @param home the distribution's or the checkout's root
 * @param agentJar {@code weft-agent.jar}
 * @param apiJar {@code weft-api.jar}, added to the program's class path
 * @param conf the folder holding {@code weft.properties}
 * @param version Weft's version
 */
record Installation(Path home, Path agentJar, Path apiJar, Path conf, String version) {

    /** The installation this launcher was loaded from. */
    static Installation current() {
        Path jar;
        try {
            jar = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new LauncherException("cannot tell where the launcher was loaded from: " + e.getMessage());
        }
        return at(jar, readVersion());
    }

    /** The installation around the launcher jar (or classes folder) at {@code launcher}. */
    static Installation at(Path launcher, String version) {
        Path dir = launcher.toAbsolutePath().normalize().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve("weft-agent.jar"))) {
            Path home = dir.getParent();
            return new Installation(home, dir.resolve("weft-agent.jar"), dir.resolve("weft-api.jar"),
                    home.resolve("conf"), version);
        }
        // A checkout: launcher/target/weft-launcher.jar or launcher/target/classes.
        Path home = dir == null || dir.getParent() == null ? null : dir.getParent().getParent();
        if (home != null && Files.isDirectory(home.resolve("agent"))) {
            return new Installation(home, home.resolve("agent/target/weft-agent.jar"),
                    home.resolve("api/target/weft-api.jar"), home.resolve("distribution/src/conf"), version);
        }
        throw new LauncherException("cannot find weft-agent.jar beside " + launcher
                + ": the launcher must sit in a distribution's lib/ folder or in a built checkout");
    }

    /** Checks the jars the program needs are there (a checkout may be only partly built). */
    Installation requireJars() {
        for (Path jar : new Path[] {agentJar, apiJar}) {
            if (!Files.isRegularFile(jar)) {
                throw new LauncherException(jar + " is missing: build Weft first (mvn -DskipTests package in "
                        + home + ")");
            }
        }
        return this;
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = Installation.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unknown version: said so below.
        }
        return p.getProperty("version", "unknown");
    }
}
