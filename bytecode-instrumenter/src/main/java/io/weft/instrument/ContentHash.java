package io.weft.instrument;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A 64-bit hash of bytes, to name and check the rewrite cache's entries: two different 32-bit CRCs side by side.
 * Not cryptographic: it tells changed class files apart, in a folder only the user can write, and an entry is only
 * used after its class file compared equal byte for byte. Both CRCs are intrinsics, fast even in a JVM that is still
 * interpreting; {@code MessageDigest} would cost some 25 ms of provider loading on its first use, and a hash written
 * in Java some 40 ns a byte until it is compiled, in the start-up the cache exists to shorten.
 */
final class ContentHash {
    private ContentHash() {}

    /** The hash of {@code bytes[offset, offset + length)}. */
    static long of(byte[] bytes, int offset, int length) {
        CRC32 a = new CRC32();
        a.update(bytes, offset, length);
        CRC32C b = new CRC32C();
        b.update(bytes, offset, length);
        return a.getValue() << 32 | b.getValue();
    }

    /** The hash of all of {@code bytes}, as 16 lowercase hex digits. */
    static String hex(byte[] bytes) {
        String digits = Long.toHexString(of(bytes, 0, bytes.length));
        return "0".repeat(16 - digits.length()) + digits;
    }
}
