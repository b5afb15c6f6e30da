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
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A target's part of the swarm: its chunk server over its disk, and the chunk source that asks its peers first. Made
 * before the restore, closed after it has lingered (serving its peers) as long as they need it.
 */
public final class SwarmTarget implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SwarmTarget.class.getName());
    private static final Duration LINGER_CHECK = Duration.ofSeconds(5);

    private final String nodeId;
    private final String sessionId;
    private final SessionCredentials credentials;
    private final HeldChunks held;
    private final SwarmServer server;

    private SwarmTarget(String nodeId, String sessionId, SessionCredentials credentials, HeldChunks held,
            SwarmServer server) {
        this.nodeId = nodeId;
        this.sessionId = sessionId;
        this.credentials = credentials;
        this.held = held;
        this.server = server;
    }

    /** Starts serving the chunks of {@code disk} the restore writes (none yet) on {@code bind}. */
    public static SwarmTarget start(String nodeId, String sessionId, SessionCredentials credentials, Path disk,
            InetSocketAddress bind) {
        requireNonNull(nodeId, "nodeId is null");
        HeldChunks held = new HeldChunks();
        SwarmServer server = SwarmServer.start(bind, credentials.sslContext(), sessionId, held, disk,
                ChunkCodec.zstdJni(1), 8);
        return new SwarmTarget(nodeId, sessionId, credentials, held, server);
    }

    public int port() {
        return server.port();
    }

    /** The restore's chunk source: peers first, then {@code origin}; checks against {@code hashes}. */
    public SwarmChunkSource around(ChunkSource origin, SwarmChunkSource.TrustedHashes hashes, ChunkCodec codec,
            Supplier<List<SwarmPeer>> peers) {
        return new SwarmChunkSource(nodeId, origin, hashes, held, codec, credentials.peerSslContext(sessionId), peers,
                SwarmChunkSource.Options.defaults());
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
        server.close();
    }
}
