package io.weft.resources;

/**
 * A node's operating system. Immutable.
 *
 * @param type {@code Linux}, {@code Windows}, {@code MacOS}, {@code FreeBSD} or {@code SunOS}
 * @param distribution e.g. {@code Debian}, or {@code ""}
 * @param version e.g. {@code 12}, or {@code ""}
 */
public record OperatingSystem(String type, String distribution, String version) {}
