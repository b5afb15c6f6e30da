package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkKind;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * The direct-mode source's HTTPS server. TLS requires a client certificate issued by the session CA; each request is
 * then served only when that certificate names this session and the target role (and, when the clone-service listed
 * the session's targets, one of them). Calls:
 * <ul>
 *   <li>{@code GET /direct/v1/manifest}: the streamed manifest (JSON, as manifest.json but without frame positions);
 *   <li>{@code GET /direct/v1/chunks/<index>}: the chunk's zstd frame, its raw SHA-256 in {@value #SHA256_HEADER};
 *   <li>{@code GET /direct/v1/sha256/<index>}: the chunk's raw SHA-256 alone (text), for a swarm target that got
 *       the chunk from a peer and must not take the peer's word for its hash;
 *   <li>{@code POST /direct/v1/done}: the calling target restored the disk (the source stops after all did).
 * </ul>
 */
public final class DirectSourceServer implements AutoCloseable {

    public static final String SHA256_HEADER = "X-Pureboot-Chunk-Sha256";
    static final String MANIFEST_PATH = "/direct/v1/manifest";
    static final String CHUNKS_PATH = "/direct/v1/chunks/";
    static final String DONE_PATH = "/direct/v1/done";
    static final String SHA256_PATH = "/direct/v1/sha256/";

    private static final Logger LOG = Logger.getLogger(DirectSourceServer.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final HttpsServer server;
    private final ExecutorService executor;
    private final String sessionId;
    private final Set<String> allowedTargets;
    private final Manifest manifest;
    private final byte[] manifestJson;
    private final ChunkSource chunks;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    /** Hashes of the chunks computed so far (served, or asked for by a swarm target). */
    private final Map<Integer, String> hashes = new ConcurrentHashMap<>();
    private final BitSet served;

    private DirectSourceServer(HttpsServer server, ExecutorService executor, String sessionId,
            Set<String> allowedTargets, Manifest manifest, ChunkSource chunks) {
        this.server = server;
        this.executor = executor;
        this.sessionId = sessionId;
        this.allowedTargets = allowedTargets;
        this.manifest = manifest;
        this.manifestJson = manifest.toJson();
        this.chunks = chunks;
        this.served = new BitSet(manifest.chunks().size());
    }

    /**
     * Starts serving.
     *
     * @param bind the address and port to listen on (port 0: any free port)
     * @param tls the source's TLS context ({@link SessionCredentials#sslContext()})
     * @param sessionId this node's session; only certificates naming it are served
     * @param allowedTargets node ids of the session's targets, or empty to accept any target of the session
     * @param manifest the streamed manifest
     * @param chunks reads the chunks ({@link DiskChunks})
     * @param threads requests served at once (each reads, hashes and compresses one chunk)
     */
    public static DirectSourceServer start(InetSocketAddress bind, SSLContext tls, String sessionId,
            Set<String> allowedTargets, Manifest manifest, ChunkSource chunks, int threads) {
        requireNonNull(tls, "tls is null");
        requireNonNull(sessionId, "sessionId is null");
        if (!manifest.streamed()) {
            throw new IllegalArgumentException("a direct source serves a streamed manifest");
        }
        HttpsServer server = MutualTls.server(bind, tls);
        ExecutorService executor = Executors.newFixedThreadPool(threads, CaptureEngine.daemon("direct-serve"));
        DirectSourceServer direct = new DirectSourceServer(server, executor, sessionId, Set.copyOf(allowedTargets),
                manifest, chunks);
        server.createContext("/direct/v1/", direct::handle);
        server.setExecutor(executor);
        server.start();
        return direct;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Targets that said they are done. */
    public Set<String> doneTargets() {
        return Set.copyOf(done);
    }

    /** Bytes of the disk served at least once or never needed (free per the filesystem), for progress. */
    public synchronized long bytesDone() {
        long bytes = 0;
        for (ManifestChunk chunk : manifest.chunks()) {
            if (chunk.kind() != ChunkKind.DATA || served.get(chunk.index())) {
                bytes += chunk.length();
            }
        }
        return bytes;
    }

    /**
     * Waits until every target in {@code expected} said it is done, until {@code stillNeeded} says the session no
     * longer needs this source (targets failed, session cancelled), or until {@code timeout} passes (then fails).
     *
     * @return true when every expected target is done
     */
    public boolean awaitTargets(Set<String> expected, Duration timeout, Duration checkEvery,
            BooleanSupplier stillNeeded) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextCheck = System.nanoTime() + checkEvery.toNanos();
        while (!done.containsAll(expected)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AgentException(FailureKind.PEER, "targets " + expected.stream().filter(t -> !done.contains(t))
                        .sorted().toList() + " did not finish within " + timeout.toMinutes() + " minutes");
            }
            if (System.nanoTime() - nextCheck > 0) {
                if (!stillNeeded.getAsBoolean()) {
                    return false;
                }
                nextCheck = System.nanoTime() + checkEvery.toNanos();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, "interrupted while waiting for the targets", e);
            }
        }
        return true;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<PeerIdentity> peer = MutualTls.client(exchange);
            String refusal = refusal(peer);
            if (refusal != null) {
                LOG.warning("refused " + exchange.getRemoteAddress() + ": " + refusal);
                send(exchange, 403, "text/plain", refusal.getBytes(StandardCharsets.UTF_8), null);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(MANIFEST_PATH)) {
                send(exchange, 200, "application/json", manifestJson, null);
            } else if (method.equals("GET") && path.startsWith(CHUNKS_PATH)) {
                serveChunk(exchange, path.substring(CHUNKS_PATH.length()));
            } else if (method.equals("GET") && path.startsWith(SHA256_PATH)) {
                serveHash(exchange, path.substring(SHA256_PATH.length()));
            } else if (method.equals("POST") && path.equals(DONE_PATH)) {
                done.add(peer.orElseThrow().nodeId());
                LOG.info("target " + peer.orElseThrow().nodeId() + " is done");
                send(exchange, 204, null, null, null);
            } else {
                send(exchange, 404, "text/plain", ("no " + method + " " + path).getBytes(StandardCharsets.UTF_8),
                        null);
            }
        } catch (RuntimeException e) {
            // The target retries or fails with this message; the source keeps serving the others.
            LOG.warning("request " + exchange.getRequestURI() + " failed: " + e.getMessage());
            send(exchange, 500, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private String refusal(Optional<PeerIdentity> peer) {
        if (peer.isEmpty()) {
            return "the client certificate names no pureboot session";
        }
        PeerIdentity identity = peer.get();
        if (!identity.sessionId().equals(sessionId)) {
            return "the client certificate is for session " + identity.sessionId() + ", not " + sessionId;
        }
        if (!identity.role().equals("target")) {
            return "the client certificate is for a " + identity.role() + ", not a target";
        }
        if (!allowedTargets.isEmpty() && !allowedTargets.contains(identity.nodeId())) {
            return "node " + identity.nodeId() + " is not a target of session " + sessionId;
        }
        return null;
    }

    private void serveChunk(HttpExchange exchange, String indexText) throws IOException {
        int index = chunkIndex(exchange, indexText);
        if (index < 0) {
            return;
        }
        ChunkSource.Frame frame = chunks.frame(manifest.chunks().get(index));
        hashes.put(index, frame.sha256());
        synchronized (this) {
            served.set(index);
        }
        send(exchange, 200, "application/zstd", frame.bytes(), frame.sha256());
    }

    /** The hash of a chunk served before is remembered; any other is computed (read and compressed) once. */
    private void serveHash(HttpExchange exchange, String indexText) throws IOException {
        int index = chunkIndex(exchange, indexText);
        if (index < 0) {
            return;
        }
        String sha256 = hashes.computeIfAbsent(index, i -> chunks.frame(manifest.chunks().get(i)).sha256());
        send(exchange, 200, "text/plain", sha256.getBytes(StandardCharsets.US_ASCII), sha256);
    }

    /** The chunk index in a path, or -1 after answering 404 when there is no such chunk. */
    private int chunkIndex(HttpExchange exchange, String indexText) throws IOException {
        int index;
        try {
            index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= manifest.chunks().size()) {
            send(exchange, 404, "text/plain", ("no chunk '" + indexText + "': the manifest has "
                    + manifest.chunks().size()).getBytes(StandardCharsets.UTF_8), null);
            return -1;
        }
        return index;
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String sha256)
            throws IOException {
        MutualTls.send(exchange, status, type, body, sha256);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
