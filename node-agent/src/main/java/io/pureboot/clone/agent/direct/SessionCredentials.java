package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * This node's direct-mode certificate, its private key and the clone-service's CA, as PEM (the answer of
 * {@code POST /api/v1/node/direct/certificate}). The TLS context built from them presents the node's certificate and
 * trusts nothing but that CA, so a peer whose certificate another CA issued fails the handshake.
 *
 * @param certificatePem the node's certificate (optionally followed by the CA)
 * @param privateKeyPem the node's private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), EC or RSA
 * @param caPem the CA certificate that issued every certificate of the session
 */
public record SessionCredentials(String certificatePem, String privateKeyPem, String caPem) {

    private static final char[] PASSWORD = "pureboot".toCharArray();

    public SessionCredentials {
        requireNonNull(certificatePem, "certificate_pem is null");
        requireNonNull(privateKeyPem, "private_key_pem is null");
        requireNonNull(caPem, "ca_pem is null");
    }

    /** The node's own certificate (the first of {@link #certificatePem()}). */
    public X509Certificate certificate() {
        return certificates(certificatePem, "certificate_pem").get(0);
    }

    public X509Certificate ca() {
        return certificates(caPem, "ca_pem").get(0);
    }

    /** A TLS context presenting this node's certificate and trusting only the CA. */
    public SSLContext sslContext() {
        return sslContext(null);
    }

    /**
     * The TLS context a swarm target fetches from its peers with: it presents this node's certificate, and trusts a
     * server whose chain leads to the CA and whose certificate names {@code sessionId} and the target role. Targets'
     * certificates name no address, so the identity takes the place of the address check ({@link PeerTrust}).
     */
    public SSLContext peerSslContext(String sessionId) {
        return sslContext(requireNonNull(sessionId, "sessionId is null"));
    }

    private SSLContext sslContext(String peerSession) {
        try {
            X509Certificate ca = ca();
            List<X509Certificate> chain = new ArrayList<>(certificates(certificatePem, "certificate_pem"));
            X509Certificate last = chain.get(chain.size() - 1);
            if (!last.equals(ca) && last.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                chain.add(ca);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("node", privateKey(), PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("session-ca", ca);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = trustManagers.getTrustManagers();
            if (peerSession != null) {
                trust = new TrustManager[] {new PeerTrust((X509ExtendedTrustManager) trust[0], peerSession)};
            }
            context.init(keyManagers.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "cannot build the TLS context from the session "
                    + "certificate: " + e.getMessage(), e);
        }
    }

    private PrivateKey privateKey() {
        String base64 = privateKeyPem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw invalid("private_key_pem", "not PKCS#8 PEM: " + e.getMessage(), e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // try the next algorithm: the PEM does not say which one it is
            }
        }
        throw invalid("private_key_pem", "not an EC, RSA or Ed25519 PKCS#8 key", null);
    }

    private static List<X509Certificate> certificates(String pem, String field) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw invalid(field, "no certificate in it", null);
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw invalid(field, e.getMessage(), e);
        }
    }

    private static AgentException invalid(String field, String reason, Throwable cause) {
        return new AgentException(FailureKind.SERVER, "the node API sent an invalid " + field + ": " + reason, cause);
    }
}
