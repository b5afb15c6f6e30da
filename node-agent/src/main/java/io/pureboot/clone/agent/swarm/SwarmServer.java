package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.MutualTls;
import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.agent.disk.DeviceIo;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ZeroFrames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * A swarm target's chunk server: mutual TLS with the session's certificates (only targets of the same session are
 * served), offering the chunks of {@link HeldChunks}. A chunk whose frame is still kept there is sent as it came;
 * another is read back from the target disk, hashed again (a chunk whose bytes changed since, e.g. by the filesystem
 * grown after the restore, is forgotten and answered 404) and compressed with a fast level, once: the last frames made
 * are kept (bounded) for the other peers that ask for the same chunk. Calls:
 * <ul>
 *   <li>{@code GET /swarm/v1/have}: the held chunks as a bitmap ({@link HeldChunks#bitmap()});
 *   <li>{@code GET /swarm/v1/chunks/<index>[?wait=<ms>]}: the chunk's zstd frame, its SHA-256 in the direct mode's
 *       hash header, or 404 when it is not held; with {@code wait} the answer is held until the chunk is (at most
 *       {@link #LONGEST_WAIT}), so a peer waiting for a chunk asks once instead of polling.
 * </ul>
 * Every answer names this target's progress ({@link #HELD_HEADER}, {@link #TOP_HEADER}). Requests run on virtual
 * threads, so waiting ones cost no pool thread; reading, hashing and compressing are bounded by {@code threads}, and
 * at most {@link #MOST_WAITING} requests wait at once (more are answered 404 at once).
 */
public final class SwarmServer implements AutoCloseable {

    static final String HAVE_PATH = "/swarm/v1/have";
    static final String CHUNKS_PATH = "/swarm/v1/chunks/";
    static final String WAIT_PARAMETER = "wait=";
    /** Chunks this target holds. */
    static final String HELD_HEADER = "X-Pureboot-Swarm-Held";
    /** The highest chunk index it holds, -1 when none. */
    static final String TOP_HEADER = "X-Pureboot-Swarm-Top";
    /** The longest a chunk request is held waiting for its chunk, whatever it asks. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(20);
    /** Chunk requests held waiting at once: past that they are answered at once. */
    static final int MOST_WAITING = 512;
    /** Frames kept for the peers that ask for the same chunk (a chunk is asked by most peers within seconds). */
    static final long FRAME_CACHE_BYTES = 32L << 20;

    private static final Logger LOG = Logger.getLogger(SwarmServer.class.getName());

    private final HttpsServer server;
    private final ExecutorService executor;
    private final String sessionId;
    private final HeldChunks held;
    private final FileChannel disk;
    private final String diskName;
    private final ChunkCodec codec;
    private final Semaphore computing;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong chunksServed = new AtomicLong();
    private final AtomicLong framesMade = new AtomicLong();
    private final AtomicLong haveMapsServed = new AtomicLong();
    private final LinkedHashMap<Integer, CompletableFuture<byte[]>> recentFrames = new LinkedHashMap<>(16, 0.75f, true);
    private long recentBytes;

    private SwarmServer(HttpsServer server, ExecutorService executor, String sessionId, HeldChunks held,
            FileChannel disk, String diskName, ChunkCodec codec, int threads) {
        this.server = server;
        this.executor = executor;
        this.sessionId = sessionId;
        this.held = held;
        this.disk = disk;
        this.diskName = diskName;
        this.codec = codec;
        this.computing = new Semaphore(threads);
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
     * @param threads chunks read back, hashed and compressed at once (requests themselves run on virtual threads)
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
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("swarm-serve-", 0)
                .factory());
        SwarmServer swarm = new SwarmServer(server, executor, sessionId, held, channel, disk.toString(), codec,
                threads);
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

    /** Have maps answered so far. */
    public long haveMapsServed() {
        return haveMapsServed.get();
    }

    /**
     * Chunks read back and compressed so far (a chunk served to several peers at about the same time counts once; a
     * chunk sent in the frame it came in does not count).
     */
    public long framesMade() {
        return framesMade.get();
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
            tellProgress(exchange);
            String path = exchange.getRequestURI().getPath();
            boolean get = exchange.getRequestMethod().equals("GET");
            if (get && path.equals(HAVE_PATH)) {
                haveMapsServed.incrementAndGet();
                MutualTls.send(exchange, 200, "application/octet-stream", held.bitmap(), null);
            } else if (get && path.startsWith(CHUNKS_PATH)) {
                serveChunk(exchange, path.substring(CHUNKS_PATH.length()), waitMillis(exchange));
            } else {
                MutualTls.send(exchange, 404, "text/plain", ("no " + exchange.getRequestMethod() + " " + path)
                        .getBytes(StandardCharsets.UTF_8), null);
            }
        } catch (InterruptedException e) {
            // the server is stopping: the connection closes with the exchange
            Thread.currentThread().interrupt();
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

    private void tellProgress(HttpExchange exchange) {
        HeldChunks.Progress progress = held.progress();
        exchange.getResponseHeaders().set(HELD_HEADER, Integer.toString(progress.count()));
        exchange.getResponseHeaders().set(TOP_HEADER, Integer.toString(progress.top()));
    }

    private static long waitMillis(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null || !query.startsWith(WAIT_PARAMETER)) {
            return 0;
        }
        try {
            return Math.clamp(Long.parseLong(query.substring(WAIT_PARAMETER.length())), 0,
                    LONGEST_WAIT.toMillis());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void serveChunk(HttpExchange exchange, String indexText, long waitMillis)
            throws IOException, InterruptedException {
        int index;
        try {
            index = Integer.parseInt(indexText);
        } catch (NumberFormatException e) {
            index = -1;
        }
        Optional<HeldChunks.Held> chunk = index < 0 ? Optional.empty() : held.get(index);
        if (chunk.isEmpty() && index >= 0 && waitMillis > 0) {
            try {
                if (waiting.incrementAndGet() <= MOST_WAITING) {
                    chunk = held.await(index, Duration.ofMillis(waitMillis));
                }
            } finally {
                waiting.decrementAndGet();
            }
            tellProgress(exchange);
        }
        byte[] frame = chunk.isEmpty() ? null : frame(index, chunk.get());
        if (frame == null) {
            MutualTls.send(exchange, 404, "text/plain", ("chunk '" + indexText + "' is not held")
                    .getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        chunksServed.incrementAndGet();
        MutualTls.send(exchange, 200, "application/zstd", frame, chunk.get().sha256());
    }

    /**
     * The chunk's frame: the one it came in while {@link HeldChunks} keeps it; otherwise made once for all the peers
     * asking for it at about the same time (and kept while it is one of the last {@link #FRAME_CACHE_BYTES}), or null
     * when its bytes on the disk changed since it was written.
     */
    private byte[] frame(int index, HeldChunks.Held written) throws InterruptedException {
        Optional<byte[]> asItCame = held.keptFrame(index);
        if (asItCame.isPresent()) {
            return asItCame.get();
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> earlier;
        synchronized (recentFrames) {
            earlier = recentFrames.putIfAbsent(index, mine);
        }
        if (earlier != null) {
            try {
                return earlier.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("chunk " + index + " could not be read back: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        byte[] frame;
        try {
            frame = readBack(index, written);
        } catch (RuntimeException | InterruptedException e) {
            mine.completeExceptionally(e);
            synchronized (recentFrames) {
                recentFrames.remove(index, mine);
            }
            throw e;
        }
        mine.complete(frame);
        synchronized (recentFrames) {
            if (frame == null) {
                recentFrames.remove(index, mine);
                return null;
            }
            recentBytes += frame.length;
            Iterator<CompletableFuture<byte[]>> oldest = recentFrames.values().iterator();
            while (recentBytes > FRAME_CACHE_BYTES && oldest.hasNext()) {
                CompletableFuture<byte[]> kept = oldest.next();
                byte[] keptFrame = kept.getNow(null);
                if (kept != mine && keptFrame != null) {
                    recentBytes -= keptFrame.length;
                    oldest.remove();
                }
            }
        }
        return frame;
    }

    private byte[] readBack(int index, HeldChunks.Held written) throws InterruptedException {
        computing.acquire();
        try {
            byte[] raw = DeviceIo.read(disk, diskName, written.targetOffset(), written.length());
            if (!ZeroFrames.sha256(raw, raw.length).equals(written.sha256())) {
                held.forget(index);
                LOG.info("chunk " + index + " changed on " + diskName + " since it was written; no longer offered");
                return null;
            }
            byte[] frame = new byte[codec.maxCompressedLength(raw.length)];
            int size = codec.compress(raw, raw.length, frame);
            framesMade.incrementAndGet();
            return Arrays.copyOf(frame, size);
        } finally {
            computing.release();
        }
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
