package io.weft.instrument;

/**
 * A 128-bit hash of bytes, to name and check the rewrite cache's entries. Not cryptographic: it tells changed class
 * files apart, in a folder only the user can write. {@code MessageDigest} would do too, but its first use costs some
 * 25 ms of provider loading on a JVM that starts, which is what the cache exists to save.
 */
final class ContentHash {
    private ContentHash() {}

    /** The hash of {@code bytes[offset, offset + length)}, as 32 lowercase hex digits. */
    static String hex(byte[] bytes, int offset, int length) {
        long[] h = of(bytes, offset, length);
        StringBuilder text = new StringBuilder(32);
        for (long lane : h) {
            String digits = Long.toHexString(lane);
            text.append("0".repeat(16 - digits.length())).append(digits);
        }
        return text.toString();
    }

    /** The hash of all of {@code bytes}, as 32 lowercase hex digits. */
    static String hex(byte[] bytes) {
        return hex(bytes, 0, bytes.length);
    }

    /** Two independent 64-bit lanes: FNV-1a, and a multiply-xorshift; each finished with MurmurHash3's mix. */
    static long[] of(byte[] bytes, int offset, int length) {
        long a = 0xcbf29ce484222325L ^ length;
        long b = 0x9e3779b97f4a7c15L + length;
        for (int i = offset, end = offset + length; i < end; i++) {
            int x = bytes[i] & 0xff;
            a = (a ^ x) * 0x100000001b3L;
            b = (b + x + 1) * 0xff51afd7ed558ccdL;
            b ^= b >>> 31;
        }
        return new long[] {mix(a), mix(b ^ a)};
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
