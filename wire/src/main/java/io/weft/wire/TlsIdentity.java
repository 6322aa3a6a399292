package io.weft.wire;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A run's TLS identity: one EC P-256 key and a self-signed certificate made for the run, shared by the master and
 * its workers through the credentials file. Every process of the run presents it, and trusts exactly it (the
 * certificate is pinned; no certificate authority is involved), so TLS both encrypts and proves membership before
 * the HMAC handshake runs inside it. Immutable.
 */
public final class TlsIdentity {
    private static final String SIGNATURE = "SHA256withECDSA";
    /** 1.2.840.10045.4.3.2, ecdsa-with-SHA256. */
    private static final byte[] ECDSA_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03,
        0x02};
    /** 2.5.4.3, commonName. */
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

    private final PrivateKey key;
    private final X509Certificate certificate;
    private volatile SslContext server;
    private volatile SslContext client;

    private TlsIdentity(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new key and certificate, valid from a day ago (clocks differ) for 30 days. */
    public static TlsIdentity generate(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            byte[] name = sequence(set(sequence(concat(COMMON_NAME, der(0x0c, commonName.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8))))));
            byte[] algorithm = sequence(ECDSA_SHA256);
            byte[] serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray();
            byte[] tbs = sequence(concat(
                    der(0xa0, der(0x02, new byte[] {2})), // version 3
                    der(0x02, serial),
                    algorithm,
                    name,
                    sequence(concat(time(now.minusDays(1)), time(now.plusDays(30)))),
                    name,
                    pair.getPublic().getEncoded()));
            Signature signer = Signature.getInstance(SIGNATURE);
            signer.initSign(pair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1]; // no unused bits
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] certificate = sequence(concat(tbs, algorithm, der(0x03, bits)));
            return new TlsIdentity(pair.getPrivate(), parseCertificate(certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make an EC P-256 key and certificate: " + e, e);
        }
    }

    /** Reads what {@link #text} wrote. */
    static TlsIdentity parse(String text) throws GeneralSecurityException {
        String[] parts = text.split(":");
        if (parts.length != 3 || !parts[0].equals("tls")) {
            throw new GeneralSecurityException("not a TLS identity");
        }
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(parts[1])));
        X509Certificate certificate = parseCertificate(Base64.getDecoder().decode(parts[2]));
        // Peers compare certificates byte for byte, not dates; this only stops a file from being used for ever.
        certificate.checkValidity();
        return new TlsIdentity(key, certificate);
    }

    /** One line: {@code tls:<base64 PKCS#8 key>:<base64 DER certificate>}. */
    String text() {
        try {
            return "tls:" + Base64.getEncoder().encodeToString(key.getEncoded()) + ":"
                    + Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The context of the accepting side: presents the run's certificate and requires the peer's. */
    SslContext server() throws SSLException {
        if (server == null) {
            server = SslContextBuilder.forServer(key, certificate).trustManager(new Pinned())
                    .clientAuth(ClientAuth.REQUIRE).protocols("TLSv1.3").build();
        }
        return server;
    }

    /** The context of the connecting side. */
    SslContext client() throws SSLException {
        if (client == null) {
            client = SslContextBuilder.forClient().keyManager(key, certificate).trustManager(new Pinned())
                    .protocols("TLSv1.3").build();
        }
        return client;
    }

    private static X509Certificate parseCertificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    /** Trusts the run's certificate, and nothing else. */
    private final class Pinned extends X509ExtendedTrustManager {
        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0
                    || !Arrays.equals(chain[0].getEncoded(), certificate.getEncoded())) {
                throw new CertificateException("the peer's certificate is not this run's");
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[] {certificate};
        }
    }

    // ---------------------------------------------------------------- DER

    private static byte[] time(ZonedDateTime t) {
        return der(0x17, t.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] sequence(byte[] content) {
        return der(0x30, content);
    }

    private static byte[] set(byte[] content) {
        return der(0x31, content);
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            byte[] length = BigInteger.valueOf(n).toByteArray();
            int skip = length[0] == 0 ? 1 : 0;
            out.write(0x80 | (length.length - skip));
            out.write(length, skip, length.length - skip);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
