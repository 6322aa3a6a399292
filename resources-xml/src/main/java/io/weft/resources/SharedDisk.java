package io.weft.resources;

/**
 * A disk that several nodes mount (NFS, GPFS, Lustre…): files on it need not be copied between those nodes.
 * Immutable.
 *
 * @param name the disk's name, unique in the file
 * @param sizeBytes its size, or {@code -1} if not declared
 */
public record SharedDisk(String name, long sizeBytes) {}
