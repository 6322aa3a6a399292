package io.weft.benchmarks.taskbench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Task Bench's dependence patterns, by the names its command line uses ({@code -type stencil_1d}). */
public enum Dependence {
    TRIVIAL,
    NO_COMM,
    STENCIL_1D,
    STENCIL_1D_PERIODIC,
    DOM,
    TREE,
    FFT,
    ALL_TO_ALL,
    NEAREST,
    SPREAD,
    RANDOM_NEAREST;

    /** The name on Task Bench's command line, e.g. {@code stencil_1d}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the pattern changes from step to step with a period ({@code -period}, 3 by default). */
    public boolean hasPeriod() {
        return this == SPREAD || this == RANDOM_NEAREST;
    }

    public static Dependence of(String label) {
        for (Dependence d : values()) {
            if (d.label().equals(label)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dependence pattern '" + label + "'; accepted: "
                + Arrays.stream(values()).map(Dependence::label).collect(Collectors.joining(", ")));
    }
}
