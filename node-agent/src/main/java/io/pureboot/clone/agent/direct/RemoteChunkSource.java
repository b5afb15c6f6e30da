package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The target side of direct mode: the source's manifest and chunks fetched over HTTPS, presenting the target's session
 * certificate and verifying the source's against the session CA and its address (the JDK client checks the IP address
 * against the certificate's subject alternative names). Connection failures and 5xx answers are retried with backoff
 * for a bounded time, so a briefly unreachable source does not end the restore; a 4xx is final.
 */
public final class RemoteChunkSource implements ChunkSource {

    private static final Logger LOG = Logger.getLogger(RemoteChunkSource.class.getName());
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final HttpClient http;
    private final Duration retryBudget;

    public RemoteChunkSource(URI base, SSLContext tls, Duration retryBudget) {
        this.base = requireNonNull(base, "base is null");
        this.retryBudget = requireNonNull(retryBudget, "retryBudget is null");
        this.http = MutualTls.client(tls, Duration.ofSeconds(10));
    }

    /** {@code https://<address>:<port>}, with IPv6 addresses bracketed. */
    public static URI endpoint(String address, int port) {
        String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        return URI.create("https://" + host + ":" + port);
    }

    /** The source's streamed manifest, validated. */
    public Manifest manifest() {
        HttpResponse<byte[]> response = send("GET", DirectSourceServer.MANIFEST_PATH);
        Manifest manifest = Manifest.parse(response.body(), base + DirectSourceServer.MANIFEST_PATH);
        if (!manifest.streamed()) {
            throw new AgentException(FailureKind.IMAGE_CORRUPT, base + ": the source sent a manifest with compression '"
                    + manifest.compression() + "', expected " + Manifest.STREAMED);
        }
        return manifest;
    }

    @Override
    public Frame frame(ManifestChunk chunk) {
        String path = DirectSourceServer.CHUNKS_PATH + chunk.index();
        HttpResponse<byte[]> response = send("GET", path);
        String sha256 = response.headers().firstValue(DirectSourceServer.SHA256_HEADER).orElseThrow(
                () -> new AgentException(FailureKind.IMAGE_CORRUPT, base + path + " answered without "
                        + DirectSourceServer.SHA256_HEADER));
        return new Frame(response.body(), sha256);
    }

    /**
     * The chunk's raw SHA-256 as the source computed it, without its data: what a swarm target checks a chunk from a
     * peer against, since a streamed manifest carries no hashes of data chunks.
     */
    public String sha256(ManifestChunk chunk) {
        String path = DirectSourceServer.SHA256_PATH + chunk.index();
        String sha256 = new String(send("GET", path).body(), StandardCharsets.US_ASCII).strip();
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new AgentException(FailureKind.PEER, base + path + " answered '" + sha256
                    + "', not a SHA-256 in hex");
        }
        return sha256;
    }

    /** Tells the source this target is done (best effort: the source also stops when the clone-service says so). */
    public void done() {
        try {
            send("POST", DirectSourceServer.DONE_PATH);
        } catch (AgentException e) {
            LOG.warning("could not tell the source this target is done: " + e.getMessage());
        }
    }

    @Override
    public String describe(ManifestChunk chunk) {
        return "from " + base;
    }

    private HttpResponse<byte[]> send(String method, String path) {
        URI uri = base.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        long deadline = System.nanoTime() + retryBudget.toNanos();
        Duration delay = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            String failure;
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response;
                }
                failure = method + " " + uri + " answered " + status + ": "
                        + new String(response.body(), StandardCharsets.UTF_8).strip();
                if (status < 500) {
                    throw new AgentException(FailureKind.PEER, failure);
                }
            } catch (SSLException e) {
                // A certificate refused by either side does not get better by asking again.
                throw new AgentException(FailureKind.PEER, method + " " + uri + ": TLS failed: " + e.getMessage(), e);
            } catch (IOException e) {
                if (e.getCause() instanceof SSLException tls) {
                    throw new AgentException(FailureKind.PEER, method + " " + uri + ": TLS failed: " + tls.getMessage(),
                            e);
                }
                failure = method + " " + uri + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, method + " " + uri + " was interrupted", e);
            }
            if (System.nanoTime() + delay.toNanos() - deadline > 0) {
                throw new AgentException(FailureKind.PEER, failure + " (gave up after " + attempt
                        + (attempt == 1 ? " attempt)" : " attempts)"));
            }
            LOG.fine(failure + "; retrying in " + delay.toMillis() + " ms");
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, method + " " + uri + " was interrupted", e);
            }
            delay = delay.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                    : delay.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
