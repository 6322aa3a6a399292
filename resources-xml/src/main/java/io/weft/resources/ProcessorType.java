package io.weft.resources;

import java.util.Locale;
import java.util.Optional;

/** What kind of processor a {@link Processor} is. */
public enum ProcessorType {
    CPU,
    GPU,
    FPGA,
    OTHER;

    /** The type a name means, case-insensitively. */
    public static Optional<ProcessorType> parse(String name) {
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The accepted names, for error messages. */
    public static String accepted() {
        return "CPU, GPU, FPGA, OTHER";
    }
}
