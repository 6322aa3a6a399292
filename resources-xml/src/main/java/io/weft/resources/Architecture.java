package io.weft.resources;

import java.util.Locale;
import java.util.Optional;

/** A processor architecture, named as resources files and {@code @Constraint} name it. */
public enum Architecture {
    /** x86-64 (Intel Xeon, AMD EPYC). Also accepted as {@code x86_64}, {@code x86-64}, {@code x64}. */
    AMD64("amd64"),
    /** 64-bit ARM (Neoverse, A64FX, Grace). Also accepted as {@code arm64}. */
    AARCH64("aarch64"),
    /** 64-bit little-endian POWER (IBM Power9, Power10). Also accepted as {@code ppc64el}. */
    PPC64LE("ppc64le");

    private final String id;

    Architecture(String id) {
        this.id = id;
    }

    /** The canonical name: {@code amd64}, {@code aarch64} or {@code ppc64le}. */
    public String id() {
        return id;
    }

    /** The architecture a name or one of its usual aliases means, case-insensitively. */
    public static Optional<Architecture> parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "x64" -> Optional.of(AMD64);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            case "ppc64le", "ppc64el" -> Optional.of(PPC64LE);
            default -> Optional.empty();
        };
    }

    /** The accepted names, for error messages. */
    public static String accepted() {
        return "amd64 (or x86_64), aarch64 (or arm64), ppc64le";
    }

    @Override
    public String toString() {
        return id;
    }
}
