package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.MutualTls;
import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.agent.disk.DeviceIo;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ZeroFrames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * A swarm target's chunk server: mutual TLS with the session's certificates (only targets of the same session are
 * served), offering the chunks of {@link HeldChunks}. A chunk is read back from the target disk, hashed again (a chunk
 * whose bytes changed since, e.g. by the filesystem grown after the restore, is forgotten and answered 404) and
 * compressed with a fast level. Calls:
 * <ul>
 *   <li>{@code GET /swarm/v1/have}: the held chunks as a bitmap ({@link HeldChunks#bitmap()});
 *   <li>{@code GET /swarm/v1/chunks/<index>}: the chunk's zstd frame, its SHA-256 in the direct mode's hash header,
 *       or 404 when it is not held.
 * </ul>
 */
public final class SwarmServer implements AutoCloseable {

    static final String HAVE_PATH = "/swarm/v1/have";
    static final String CHUNKS_PATH = "/swarm/v1/chunks/";

    private static final Logger LOG = Logger.getLogger(SwarmServer.class.getName());

    private final HttpsServer server;
    private final ExecutorService executor;
    private final String sessionId;
    private final HeldChunks held;
    private final FileChannel disk;
    private final String diskName;
    private final ChunkCodec codec;
    private final AtomicLong chunksServed = new AtomicLong();

    private SwarmServer(HttpsServer server, ExecutorService executor, String sessionId, HeldChunks held,
            FileChannel disk, String diskName, ChunkCodec codec) {
        this.server = server;
        this.executor = executor;
        this.sessionId = sessionId;
        this.held = held;
        this.disk = disk;
        this.diskName = diskName;
        this.codec = codec;
    }

    /**
     * Starts serving.
     *
     * @param bind address and port (port 0: any free port)
     * @param tls this target's TLS context ({@code SessionCredentials#sslContext()})
     * @param sessionId only certificates naming this session and the target role are served
     * @param held what this target holds
     * @param disk the target disk the held chunks are read back from
     * @param codec compresses what is served (a fast level: the link, not the ratio, is what is short)
     * @param threads requests served at once
     */
    public static SwarmServer start(InetSocketAddress bind, SSLContext tls, String sessionId, HeldChunks held,
            Path disk, ChunkCodec codec, int threads) {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(held, "held is null");
        requireNonNull(codec, "codec is null");
        FileChannel channel;
        try {
            channel = FileChannel.open(disk, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open " + disk + ": " + e.getMessage(), e);
        }
        HttpsServer server = MutualTls.server(bind, tls);
        ExecutorService executor = Executors.newFixedThreadPool(threads, CaptureEngine.daemon("swarm-serve"));
        SwarmServer swarm = new SwarmServer(server, executor, sessionId, held, channel, disk.toString(), codec);
        server.createContext("/swarm/v1/", swarm::handle);
        server.setExecutor(executor);
        server.start();
        return swarm;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Chunks served to peers so far. */
    public long chunksServed() {
        return chunksServed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Optional<PeerIdentity> peer = MutualTls.client(exchange);
            String refusal = refusal(peer);
            if (refusal != null) {
                LOG.warning("refused " + exchange.getRemoteAddress() + ": " + refusal);
                MutualTls.send(exchange, 403, "text/plain", refusal.getBytes(StandardCharsets.UTF_8), null);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            boolean get = exchange.getRequestMethod().equals("GET");
            if (get && path.equals(HAVE_PATH)) {
                MutualTls.send(exchange, 200, "application/octet-stream", held.bitmap(), null);
            } else if (get && path.startsWith(CHUNKS_PATH)) {
                serveChunk(exchange, path.substring(CHUNKS_PATH.length()));
            } else {
                MutualTls.send(exchange, 404, "text/plain", ("no " + exchange.getRequestMethod() + " " + path)
                        .getBytes(StandardCharsets.UTF_8), null);
            }
        } catch (RuntimeException e) {
            LOG.warning("request " + exchange.getRequestURI() + " failed: " + e.getMessage());
            MutualTls.send(exchange, 500, "text/plain", String.valueOf(e.getMessage())
                    .getBytes(StandardCharsets.UTF_8), null);
        }
    }

    private String refusal(Optional<PeerIdentity> peer) {
        if (peer.isEmpty()) {
            return "the client certificate names no pureboot session";
        }
        if (!peer.get().sessionId().equals(sessionId)) {
            return "the client certificate is for session " + peer.get().sessionId() + ", not " + sessionId;
        }
        if (!peer.get().role().equals("target")) {
            return "the client certificate is for a " + peer.get().role() + ", not a target";
        }
        return null;
    }

    private void serveChunk(HttpExchange exchange, String indexText) throws IOException {
        int index;
        try {
            index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
            index = -1;
        }
        Optional<HeldChunks.Held> chunk = index < 0 ? Optional.empty() : held.get(index);
        if (chunk.isEmpty()) {
            MutualTls.send(exchange, 404, "text/plain", ("chunk '" + indexText + "' is not held")
                    .getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        HeldChunks.Held written = chunk.get();
        byte[] raw = DeviceIo.read(disk, diskName, written.targetOffset(), written.length());
        if (!ZeroFrames.sha256(raw, raw.length).equals(written.sha256())) {
            held.forget(index);
            LOG.info("chunk " + index + " changed on " + diskName + " since it was written; no longer offered");
            MutualTls.send(exchange, 404, "text/plain", ("chunk " + index + " is no longer held")
                    .getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        byte[] frame = new byte[codec.maxCompressedLength(raw.length)];
        int size = codec.compress(raw, raw.length, frame);
        chunksServed.incrementAndGet();
        MutualTls.send(exchange, 200, "application/zstd", Arrays.copyOf(frame, size), written.sha256());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            disk.close();
        } catch (IOException e) {
            // read-only; nothing to lose
        }
    }
}
