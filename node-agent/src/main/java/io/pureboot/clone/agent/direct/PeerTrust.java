package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust for a swarm target's connections to its peers: the chain must lead to the session CA (checked by the PKIX
 * trust manager it wraps) and the server's certificate must name this session and the target role. A target's
 * certificate names no IP address, so this check takes the place of the address check; which node the peer is, is
 * checked against the peer list after the handshake. Being an extended trust manager, the JDK leaves the endpoint check
 * to it instead of matching the address against the certificate.
 */
final class PeerTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager ca;
    private final String sessionId;

    PeerTrust(X509ExtendedTrustManager ca, String sessionId) {
        this.ca = requireNonNull(ca, "ca is null");
        this.sessionId = requireNonNull(sessionId, "sessionId is null");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkServerTrusted(chain, authType);
        PeerIdentity identity = PeerIdentity.of(chain[0]).orElseThrow(
                () -> new CertificateException("the peer's certificate names no pureboot session"));
        if (!identity.sessionId().equals(sessionId) || !identity.role().equals("target")) {
            throw new CertificateException("the peer's certificate is for " + identity.uri() + ", not a target of "
                    + "session " + sessionId);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.getAcceptedIssuers();
    }
}
