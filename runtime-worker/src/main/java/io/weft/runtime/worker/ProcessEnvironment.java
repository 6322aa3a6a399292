package io.weft.runtime.worker;

import java.util.function.Function;

/**
 * This process's environment variables, by name ({@link System#getenv(String)}), for the parts that take a lookup
 * (tests give their own). A class rather than the method reference: the runtime starts while the JVM interprets,
 * where each lambda costs a class spun at run time, several times the cost of loading a small class.
 */
public final class ProcessEnvironment implements Function<String, String> {
    public static final ProcessEnvironment VARIABLES = new ProcessEnvironment();

    private ProcessEnvironment() {}

    @Override
    public String apply(String name) {
        return System.getenv(name);
    }
}
