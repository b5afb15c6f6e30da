package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkSource;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A target's part of the swarm: its chunk server over its disk, and the chunk source that asks its peers first. Made
 * before the restore, closed after it has lingered (serving its peers) as long as they need it.
 */
public final class SwarmTarget implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SwarmTarget.class.getName());
    private static final Duration LINGER_CHECK = Duration.ofSeconds(5);
    /** How often the dropped peers are looked at, to be reported. */
    private static final Duration DROP_CHECK = Duration.ofSeconds(1);

    private final String nodeId;
    private final String sessionId;
    private final SessionCredentials credentials;
    private final HeldChunks held;
    private final SwarmServer server;
    private final DropReports drops;
    private volatile SwarmChunkSource source;
    private volatile Thread dropWatch;

    private SwarmTarget(String nodeId, String sessionId, SessionCredentials credentials, HeldChunks held,
            SwarmServer server, DropReports drops) {
        this.nodeId = nodeId;
        this.sessionId = sessionId;
        this.credentials = credentials;
        this.held = held;
        this.server = server;
        this.drops = drops;
    }

    /**
     * Starts serving the chunks of {@code disk} the restore writes (none yet) on {@code bind}.
     *
     * @param dropped told once of each peer the restore drops (the agent reports it to the clone-service); may throw,
     *     and is then told again later
     */
    public static SwarmTarget start(String nodeId, String sessionId, SessionCredentials credentials, Path disk,
            InetSocketAddress bind, Consumer<DropReports.Dropped> dropped) {
        requireNonNull(nodeId, "nodeId is null");
        DropReports drops = new DropReports(dropped);
        HeldChunks held = new HeldChunks();
        SwarmServer server = SwarmServer.start(bind, credentials.sslContext(), sessionId, held, disk,
                ChunkCodec.zstdJni(1), 8);
        return new SwarmTarget(nodeId, sessionId, credentials, held, server, drops);
    }

    public int port() {
        return server.port();
    }

    /** The restore's chunk source: peers first, then {@code origin}; checks against {@code hashes}. */
    public SwarmChunkSource around(ChunkSource origin, SwarmChunkSource.TrustedHashes hashes, ChunkCodec codec,
            Supplier<List<SwarmPeer>> peers) {
        SwarmChunkSource made = new SwarmChunkSource(nodeId, origin, hashes, held, codec,
                credentials.peerSslContext(sessionId), peers, SwarmChunkSource.Options.defaults());
        source = made;
        // A drop is reported while the restore runs, so the audit shows it even if this target dies later.
        dropWatch = Thread.ofVirtual().name("swarm-drop-reports").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                drops.reportNew(made.counts().dropped());
                try {
                    Thread.sleep(DROP_CHECK.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return made;
    }

    /** Keeps serving while {@code needed} says the session's other targets run, for at most {@code longest}. */
    public void linger(BooleanSupplier needed, Duration longest) {
        long deadline = System.nanoTime() + longest.toNanos();
        while (System.nanoTime() - deadline < 0 && needed.getAsBoolean()) {
            try {
                Thread.sleep(LINGER_CHECK.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, "interrupted while serving the swarm", e);
            }
        }
        LOG.info("stopped serving the swarm after " + server.chunksServed() + " chunks");
    }

    @Override
    public void close() {
        Thread watch = dropWatch;
        if (watch != null) {
            watch.interrupt();
        }
        SwarmChunkSource made = source;
        if (made != null) {
            drops.reportNew(made.counts().dropped());
        }
        server.close();
    }
}
