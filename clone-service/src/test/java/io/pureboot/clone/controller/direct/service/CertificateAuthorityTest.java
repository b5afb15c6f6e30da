package io.pureboot.clone.controller.direct.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.controller.direct.NodeKeys;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
        Held source = held(reloaded, SESSION + ":source:n1", "127.0.0.1");
        Held target = held(ca, SESSION + ":target:n2", null);

        assertThat(handshake(source, target)).isEqualTo(SESSION + ":target:n2");

        Held stranger = held(CertificateAuthority.create("other CA", Duration.ofDays(1)), SESSION + ":target:n3", null);
        Held strangerTrustingOurCa = new Held(stranger.certificatePem(), stranger.key(),
                ca.certificatePem());
        // Its certificate is not of a CA the server asks for: the client has none to offer, the server requires one.
        assertThatThrownBy(() -> handshake(source, strangerTrustingOurCa)).isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("certificate_required");
    }

    @Test
    void aTargetCertificateNamesNoAddressSoItCannotServe() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test CA", Duration.ofDays(1));
        Held target = held(ca, SESSION + ":target:n2", null);

        assertThatThrownBy(() -> handshake(target, target))
                .hasStackTraceContaining("No subject alternative names matching IP address 127.0.0.1");
    }

    /** Runs one TLS exchange; answers the URI the server saw in the client's certificate. */
    private static String handshake(Held server, Held client)
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

    /** A certificate for a key made here, as a node makes its own and sends only a request. */
    private record Held(String certificatePem, PrivateKey key, String caPem) {
    }

    private static Held held(CertificateAuthority ca, String uri, String address) {
        NodeKeys keys = NodeKeys.create();
        CertificateAuthority.Issued issued = ca.issue(uri, address,
                CertificateAuthority.publicKeyOf(keys.csrPem()), Duration.ofHours(1));
        return new Held(issued.certificatePem(), keys.pair().getPrivate(), issued.caPem());
    }

    @Test
    void aRequestNotSignedByTheKeyItCarriesIsRefused() {
        NodeKeys forged = NodeKeys.create(NodeKeys.newPair(), NodeKeys.newPair());

        assertThatThrownBy(() -> CertificateAuthority.publicKeyOf(forged.csrPem()))
                .isInstanceOf(CertificateAuthority.BadRequest.class).hasMessage("is not signed by the key it carries");
        assertThatThrownBy(() -> CertificateAuthority.publicKeyOf("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                + "-----END CERTIFICATE REQUEST-----\n")).isInstanceOf(CertificateAuthority.BadRequest.class);
    }

    private static SSLContext context(Held issued) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Certificate leaf = factory.generateCertificate(stream(issued.certificatePem()));
        Certificate ca = factory.generateCertificate(stream(issued.caPem()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("node", issued.key(),
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
