package io.weft.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code weft version}: Weft's version, where it is installed, and the Java it runs programs with. */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "Print Weft's version, where it is installed and which Java it uses.")
final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Installation i = Installation.current();
        System.out.println("weft " + i.version());
        System.out.println("home: " + i.home());
        System.out.println("agent: " + i.agentJar());
        System.out.println("java: " + System.getProperty("java.home") + " (" + System.getProperty("java.vendor")
                + " " + System.getProperty("java.version") + ")");
        return 0;
    }
}
