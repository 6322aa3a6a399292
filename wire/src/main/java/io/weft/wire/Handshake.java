package io.weft.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mutual challenge-response that opens every connection, as pure functions: no I/O.
 *
 * <ol>
 *   <li>The accepting side sends a fresh 32-byte challenge.
 *   <li>The connecting side answers with its own fresh nonce and
 *       {@code HMAC-SHA256(secret, "weft-client" | runId | challenge | nonce)}.
 *   <li>The accepting side checks it (in constant time) and answers
 *       {@code HMAC-SHA256(secret, "weft-server" | runId | nonce | challenge)}, which the connecting side checks.
 * </ol>
 *
 * Both proofs cover both nonces and the run id, and differ by role, so neither can be replayed or reflected.
 */
final class Handshake {
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {}

    /** Loads and initialises what a handshake uses (the JDK's crypto providers take a while the first time). */
    static void warmUp() {
        nonce();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[MAC_BYTES], "HmacSHA256"));
            mac.doFinal(new byte[1]);
        } catch (GeneralSecurityException e) {
            // The handshake itself reports it.
        }
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    static byte[] clientProof(RunCredentials c, byte[] challenge, byte[] nonce) {
        return mac(c, "weft-client", challenge, nonce);
    }

    static byte[] serverProof(RunCredentials c, byte[] challenge, byte[] nonce) {
        return mac(c, "weft-server", nonce, challenge);
    }

    /** Whether a received proof equals the expected one, compared in constant time. */
    static boolean matches(byte[] expected, byte[] received) {
        return MessageDigest.isEqual(expected, received);
    }

    private static byte[] mac(RunCredentials c, String role, byte[] first, byte[] second) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(c.secret(), "HmacSHA256"));
            mac.update(role.getBytes(StandardCharsets.US_ASCII));
            UUID id = c.runId();
            mac.update(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                    .putLong(id.getLeastSignificantBits()).array());
            mac.update(first);
            mac.update(second);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
