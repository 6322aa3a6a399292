package io.weft.wire;

import static io.weft.wire.WireTestSupport.credentials;
import static io.weft.wire.WireTestSupport.otherRun;
import static io.weft.wire.WireTestSupport.otherSecret;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The challenge-response as pure functions. */
class HandshakeTest {
    private final RunCredentials creds = credentials(1);
    private final Random random = new Random(42);
    private final byte[] challenge = bytes(32);
    private final byte[] nonce = bytes(32);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Another holder of the same run id and secret (a separate object, as on the other process). */
    private RunCredentials sameCredentialsElsewhere() {
        return RunCredentials.of(creds.runId(), creds.secret().clone());
    }

    @Test
    void clientProof_verifiesOnTheAcceptingSideWithTheSameCredentials() {
        byte[] sent = Handshake.clientProof(creds, challenge, nonce);
        byte[] expected = Handshake.clientProof(sameCredentialsElsewhere(), challenge, nonce);

        assertThat(sent).hasSize(Handshake.MAC_BYTES);
        assertThat(Handshake.matches(expected, sent)).isTrue();
    }

    @Test
    void serverProof_verifiesOnTheConnectingSideWithTheSameCredentials() {
        byte[] sent = Handshake.serverProof(creds, challenge, nonce);
        byte[] expected = Handshake.serverProof(sameCredentialsElsewhere(), challenge, nonce);

        assertThat(sent).hasSize(Handshake.MAC_BYTES);
        assertThat(Handshake.matches(expected, sent)).isTrue();
    }

    @Test
    void clientProof_isNotAcceptedAsAServerProof_soItCannotBeReflected() {
        byte[] clientProof = Handshake.clientProof(creds, challenge, nonce);

        // The connecting side expects serverProof(challenge, nonce); a peer echoing the client's own proof fails.
        assertThat(Handshake.matches(Handshake.serverProof(creds, challenge, nonce), clientProof)).isFalse();
        // Nor does it pass with the nonces in the other order (the server MAC covers nonce | challenge).
        assertThat(Handshake.matches(Handshake.serverProof(creds, nonce, challenge), clientProof)).isFalse();
        // And a server proof is not a client proof either.
        assertThat(Handshake.matches(Handshake.clientProof(creds, challenge, nonce),
                Handshake.serverProof(creds, challenge, nonce))).isFalse();
    }

    @Test
    void proofs_differForAnotherRunId() {
        RunCredentials other = otherRun(creds);

        assertThat(Handshake.matches(Handshake.clientProof(creds, challenge, nonce),
                Handshake.clientProof(other, challenge, nonce))).isFalse();
        assertThat(Handshake.matches(Handshake.serverProof(creds, challenge, nonce),
                Handshake.serverProof(other, challenge, nonce))).isFalse();
    }

    @Test
    void proofs_differForAnotherSecret() {
        RunCredentials other = otherSecret(creds);

        assertThat(Handshake.matches(Handshake.clientProof(creds, challenge, nonce),
                Handshake.clientProof(other, challenge, nonce))).isFalse();
        assertThat(Handshake.matches(Handshake.serverProof(creds, challenge, nonce),
                Handshake.serverProof(other, challenge, nonce))).isFalse();
    }

    @Test
    void proofs_differWithSwappedNonces() {
        assertThat(Handshake.matches(Handshake.clientProof(creds, challenge, nonce),
                Handshake.clientProof(creds, nonce, challenge))).isFalse();
        assertThat(Handshake.matches(Handshake.serverProof(creds, challenge, nonce),
                Handshake.serverProof(creds, nonce, challenge))).isFalse();
    }

    @Test
    void proofs_differForAnotherChallengeOrNonce() {
        byte[] otherChallenge = challenge.clone();
        otherChallenge[31] ^= 0x80;
        byte[] otherNonce = nonce.clone();
        otherNonce[0] ^= 1;

        byte[] proof = Handshake.clientProof(creds, challenge, nonce);
        assertThat(Handshake.matches(proof, Handshake.clientProof(creds, otherChallenge, nonce))).isFalse();
        assertThat(Handshake.matches(proof, Handshake.clientProof(creds, challenge, otherNonce))).isFalse();
    }

    @Test
    void proofs_areTheDocumentedHmacs() throws Exception {
        // docs/protocol.md: HMAC-SHA256(secret, "weft-client" | runId | c | n) and
        // HMAC-SHA256(secret, "weft-server" | runId | n | c), runId most significant half first.
        assertThat(Handshake.clientProof(creds, challenge, nonce))
                .isEqualTo(referenceHmac("weft-client", challenge, nonce));
        assertThat(Handshake.serverProof(creds, challenge, nonce))
                .isEqualTo(referenceHmac("weft-server", nonce, challenge));
    }

    private byte[] referenceHmac(String role, byte[] first, byte[] second) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(creds.secret(), "HmacSHA256"));
        ByteBuffer input = ByteBuffer.allocate(role.length() + 16 + first.length + second.length);
        input.put(role.getBytes(StandardCharsets.US_ASCII))
                .putLong(creds.runId().getMostSignificantBits())
                .putLong(creds.runId().getLeastSignificantBits())
                .put(first).put(second);
        return mac.doFinal(input.array());
    }

    @Test
    void nonces_areFreshAndOfTheDocumentedSize() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            byte[] n = Handshake.nonce();
            assertThat(n).hasSize(32);
            assertThat(seen.add(Arrays.toString(n))).as("nonce %d repeats an earlier one", i).isTrue();
        }
    }

    @Test
    void matches_comparesWholeValues() {
        byte[] proof = Handshake.clientProof(creds, challenge, nonce);

        assertThat(Handshake.matches(proof, proof.clone())).isTrue();
        assertThat(Handshake.matches(proof, Arrays.copyOf(proof, 31))).isFalse();
        assertThat(Handshake.matches(proof, Arrays.copyOf(proof, 33))).isFalse();
        assertThat(Handshake.matches(proof, new byte[0])).isFalse();
        byte[] lastBitFlipped = proof.clone();
        lastBitFlipped[31] ^= 1;
        assertThat(Handshake.matches(proof, lastBitFlipped)).isFalse();
    }
}
