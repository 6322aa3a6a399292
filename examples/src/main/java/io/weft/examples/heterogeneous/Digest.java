package io.weft.examples.heterogeneous;

/** What a kernel made of a signal: a checksum, and whether the devices it was given were the ones it saw. */
public final class Digest {
    long checksum;
    boolean devicesAsAssigned = true;

    Digest(long checksum) {
        this.checksum = checksum;
    }
}
