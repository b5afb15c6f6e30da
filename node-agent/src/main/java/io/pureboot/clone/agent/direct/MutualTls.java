package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The session's mutual TLS, shared by the direct source and the swarm's chunk servers and by their clients: an HTTPS
 * server that requires a client certificate of the session CA, the identity that certificate names, and the HTTP
 * client that presents one.
 */
public final class MutualTls {

    private MutualTls() {
    }

    /**
     * An HTTP/1.1 client presenting the certificate of {@code tls}. Its response processing runs on virtual threads:
     * with the JDK's default pool every received buffer was handed from the selector thread to a platform worker
     * thread, and perf over the 16-target swarm benchmark put a fifth of the machine in those clients' threads,
     * much of it in the kernel switching between them.
     */
    public static HttpClient client(SSLContext tls, Duration connectTimeout) {
        return HttpClient.newBuilder().sslContext(requireNonNull(tls, "tls is null"))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .executor(task -> Thread.ofVirtual().name("https-client").start(task)).build();
    }

    /** An HTTPS server on {@code bind} (not started) that refuses any client without a certificate {@code tls} trusts. */
    public static HttpsServer server(InetSocketAddress bind, SSLContext tls) {
        requireNonNull(tls, "tls is null");
        HttpsServer server;
        try {
            server = HttpsServer.create(bind, 256);
        } catch (IOException e) {
            throw new AgentException(FailureKind.PEER, "cannot listen on " + bind + ": " + e.getMessage(), e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                // A client without a certificate of the session CA never gets past the handshake.
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        return server;
    }

    /** The identity the client's certificate names, if it names one. */
    public static Optional<PeerIdentity> client(HttpExchange exchange) {
        try {
            Certificate[] certificates = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            if (certificates.length == 0 || !(certificates[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            return PeerIdentity.of(leaf);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** Sends an answer; {@code type}, {@code body} and {@code sha256} (the chunk hash header) may be null. */
    public static void send(HttpExchange exchange, int status, String type, byte[] body, String sha256)
            throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        if (sha256 != null) {
            exchange.getResponseHeaders().set(DirectSourceServer.SHA256_HEADER, sha256);
        }
        exchange.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
