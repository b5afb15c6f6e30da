package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.direct.DirectSourceServer;
import io.pureboot.clone.agent.direct.MutualTls;
import io.pureboot.clone.agent.direct.PeerIdentity;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Requests to one peer's chunk server, over the HTTP client all peers of a target share (one selector thread and
 * connection pool per target, not per peer). Its TLS context checks the peer's chain and session ({@code PeerTrust});
 * each answer is then taken only if the certificate names the node the peer list gave. No retries: the swarm source
 * asks another peer or the origin instead.
 */
final class PeerClient {

    /** A failed request: the peer is counted a failure, not proven bad. */
    static final class PeerFailure extends Exception {
        PeerFailure(String message, Throwable cause) {
            super(message, cause);
        }

        /** The peer did not answer in time (connecting included): busy or gone, not proven bad. */
        boolean timedOut() {
            return getCause() instanceof HttpTimeoutException;
        }
    }

    /** A chunk's frame and the hash the peer sent with it (not trusted: the caller checks it). */
    record PeerFrame(byte[] bytes, String claimedSha256) {
    }

    /**
     * A chunk request's answer.
     *
     * @param frame the chunk, or empty when the peer does not hold it (did not within the wait)
     * @param progress what the peer held when it answered, or null if it did not say
     */
    record ChunkAnswer(Optional<PeerFrame> frame, HeldChunks.Progress progress) {
    }

    private final SwarmPeer peer;
    private final HttpClient http;
    private final Duration haveTimeout;
    private final Duration chunkTimeout;

    PeerClient(SwarmPeer peer, HttpClient http, Duration haveTimeout, Duration chunkTimeout) {
        this.peer = requireNonNull(peer, "peer is null");
        this.http = requireNonNull(http, "http is null");
        this.haveTimeout = haveTimeout;
        this.chunkTimeout = chunkTimeout;
    }

    /** The client a target's peers share: the peer TLS context ({@code SessionCredentials#peerSslContext}). */
    static HttpClient shared(SSLContext peerTls, Duration connectTimeout) {
        return MutualTls.client(peerTls, connectTimeout);
    }

    SwarmPeer peer() {
        return peer;
    }

    BitSet have() throws PeerFailure {
        HttpResponse<byte[]> response = get(SwarmServer.HAVE_PATH, haveTimeout);
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return BitSet.valueOf(response.body());
    }

    /**
     * The chunk, waiting up to {@code wait} (the server bounds it to {@link SwarmServer#LONGEST_WAIT}) for the peer
     * to hold it; empty when it does not by then.
     */
    ChunkAnswer frame(int index, Duration wait) throws PeerFailure {
        long waitMillis = Math.clamp(wait.toMillis(), 0, SwarmServer.LONGEST_WAIT.toMillis());
        String path = SwarmServer.CHUNKS_PATH + index + (waitMillis > 0 ? "?" + SwarmServer.WAIT_PARAMETER
                + waitMillis : "");
        HttpResponse<byte[]> response = get(path, chunkTimeout.plusMillis(waitMillis));
        HeldChunks.Progress progress = progress(response);
        if (response.statusCode() == 404) {
            return new ChunkAnswer(Optional.empty(), progress);
        }
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        return new ChunkAnswer(Optional.of(new PeerFrame(response.body(),
                response.headers().firstValue(DirectSourceServer.SHA256_HEADER).orElse(""))), progress);
    }

    private static HeldChunks.Progress progress(HttpResponse<?> response) {
        try {
            return new HeldChunks.Progress(
                    Integer.parseInt(response.headers().firstValue(SwarmServer.HELD_HEADER).orElseThrow()),
                    Integer.parseInt(response.headers().firstValue(SwarmServer.TOP_HEADER).orElseThrow()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private HttpResponse<byte[]> get(String path, Duration timeout) throws PeerFailure {
        HttpRequest request = HttpRequest.newBuilder(peer.uri().resolve(path)).timeout(timeout).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PeerFailure("GET " + request.uri() + " failed: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerFailure("GET " + request.uri() + " was interrupted", e);
        }
        String named = node(response.sslSession());
        if (!peer.nodeId().equals(named)) {
            throw new PeerFailure("the peer at " + peer.uri() + " presented the certificate of node " + named
                    + ", not " + peer.nodeId(), null);
        }
        return response;
    }

    private static String node(Optional<SSLSession> session) {
        try {
            Certificate[] chain = session.orElseThrow().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? PeerIdentity.of(leaf).map(PeerIdentity::nodeId).orElse(null) : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private PeerFailure failure(HttpResponse<byte[]> response) {
        return new PeerFailure("GET " + response.uri() + " answered " + response.statusCode() + ": "
                + new String(response.body(), StandardCharsets.UTF_8).strip(), null);
    }

}
