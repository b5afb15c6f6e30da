package io.pureboot.clone.controller.direct.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The CA's certificates work the way the agents use them: a JDK TLS server with a source's
 * certificate and a JDK client with a target's, each trusting only the CA, the client verifying the
 * server's IP address and the server requiring the client's certificate.
 */
class CertificateAuthorityTest {

    private static final String SESSION = "urn:pureboot:session:7c4f0d2e-0000-4000-8000-000000000001";

    @Test
    void aSourceAndATargetOfTheCaShakeHandsAndAStrangerDoesNot() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test CA", Duration.ofDays(1));
        CertificateAuthority reloaded = CertificateAuthority.load(ca.certificatePem(), ca.privateKeyPem());
        CertificateAuthority.Issued source = reloaded.issue(SESSION + ":source:n1", "127.0.0.1", Duration.ofHours(1));
        CertificateAuthority.Issued target = ca.issue(SESSION + ":target:n2", null, Duration.ofHours(1));

        assertThat(handshake(source, target)).isEqualTo(SESSION + ":target:n2");

        CertificateAuthority.Issued stranger = CertificateAuthority.create("other CA", Duration.ofDays(1))
                .issue(SESSION + ":target:n3", null, Duration.ofHours(1));
        CertificateAuthority.Issued strangerTrustingOurCa = new CertificateAuthority.Issued(stranger.certificatePem(),
                stranger.privateKeyPem(), ca.certificatePem(), stranger.notAfter());
        // Its certificate is not of a CA the server asks for: the client has none to offer, the server requires one.
        assertThatThrownBy(() -> handshake(source, strangerTrustingOurCa)).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("certificate_required");
    }

    @Test
    void aTargetCertificateNamesNoAddressSoItCannotServe() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test CA", Duration.ofDays(1));
        CertificateAuthority.Issued target = ca.issue(SESSION + ":target:n2", null, Duration.ofHours(1));

        assertThatThrownBy(() -> handshake(target, target))
                .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    /** Runs one TLS exchange; answers the URI the server saw in the client's certificate. */
    private static String handshake(CertificateAuthority.Issued server, CertificateAuthority.Issued client)
            throws Exception {
        try (SSLServerSocket listening = (SSLServerSocket) context(server).getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            listening.setSoTimeout(10_000);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.startHandshake();
                    X509Certificate peer = (X509Certificate) accepted.getSession().getPeerCertificates()[0];
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    return String.valueOf(peer.getSubjectAlternativeNames().iterator().next().get(1));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket socket = (SSLSocket) context(client).getSocketFactory()
                    .createSocket("127.0.0.1", listening.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo(1);
            } catch (SSLHandshakeException e) {
                seen.cancel(true);
                throw e;
            }
            return seen.get(10, TimeUnit.SECONDS);
        }
    }

    private static SSLContext context(CertificateAuthority.Issued issued) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Certificate leaf = factory.generateCertificate(stream(issued.certificatePem()));
        Certificate ca = factory.generateCertificate(stream(issued.caPem()));
        byte[] der = Base64.getMimeDecoder().decode(issued.privateKeyPem().replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", ""));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)),
                "p".toCharArray(), new Certificate[] {leaf});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "p".toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }
}
