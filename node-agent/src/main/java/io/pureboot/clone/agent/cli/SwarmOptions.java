package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.OwnAddress;
import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.report.ApiException;
import io.pureboot.clone.agent.swarm.SwarmChunkSource;
import io.pureboot.clone.agent.swarm.SwarmPeer;
import io.pureboot.clone.agent.swarm.SwarmTarget;
import io.pureboot.clone.nodeapi.Instructions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * A target's part in the swarm (docs/swarm.md), the same in direct and staged mode: whether it runs, its chunk server
 * on this node's disk, announced to the clone-service, and the restore's chunk source that asks the session's other
 * targets first and the source or the staging server only for what none of them has.
 */
public final class SwarmOptions {

    /** Chunks a swarm target restores at once (buffers: about twice this many chunks). */
    static final int WORKERS = 16;
    /** The longest a swarm target keeps serving its peers after its own restore. */
    private static final Duration LINGER = Duration.ofMinutes(10);

    @Option(names = "--swarm", description = "Run the swarm even if the session does not ask for it: take chunks "
            + "from the session's other targets where they have them and serve them the chunks this target wrote "
            + "(pureboot.swarm=1; pureboot.swarm=0 turns it off; by default the session's swarm option decides; "
            + "docs/swarm.md).")
    boolean swarm;

    @Option(names = "--swarm-port", paramLabel = "PORT",
            description = "TCP port of this target's swarm chunk server (pureboot.swarm_port, default 7444; 0: "
                    + "any free port).")
    Integer swarmPort;

    /**
     * Whether this target runs the swarm: as the session says ({@code swarm} of its instructions), unless
     * {@code --swarm} or {@code pureboot.swarm=1|0} says otherwise (a benchmark, a test, an operator's override).
     */
    boolean on(NodeOptions options, Instructions instructions) {
        return on(options.setting(swarm ? "1" : null, "swarm"), instructions.swarm());
    }

    static boolean on(String setting, boolean sessionSays) {
        if (setting == null || setting.isBlank()) {
            return sessionSays;
        }
        String value = setting.strip();
        if (value.equals("1") || value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equals("0") || value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new AgentException(FailureKind.CONFIGURATION, "invalid swarm '" + value + "': 1 or 0 (true or false)");
    }

    /** Starts this target's chunk server over {@code disk} and tells the clone-service where it listens. */
    Swarm start(NodeOptions options, NodeRun run, String sessionId, SessionCredentials credentials,
            BlockDevice disk) {
        InetAddress own = OwnAddress.choose(options.setting(null, "direct_address"),
                options.setting(null, "direct_network"), options.server());
        int port = NodeOptions.number(options.setting(swarmPort == null ? null : swarmPort.toString(), "swarm_port"),
                "swarm_port", 7444, 0);
        String nodeId = PeerIdentity.of(credentials.certificate()).orElseThrow(() -> new AgentException(
                FailureKind.SERVER, "the session certificate names no node")).nodeId();
        SwarmTarget target = SwarmTarget.start(nodeId, sessionId, credentials, disk.path(),
                new InetSocketAddress(own, port), dropped -> run.client().directSwarmDropped(
                        UUID.fromString(dropped.peerNodeId()), dropped.reason(), dropped.chunk()));
        try {
            run.client().directSwarm(own.getHostAddress(), target.port());
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        return new Swarm(target, run);
    }

    /** A running swarm target: its chunk source around the restore's, then its lingering; closed after both. */
    record Swarm(SwarmTarget target, NodeRun run) implements AutoCloseable {

        /** The restore's chunk source: the peers first, then {@code origin}; each chunk checked against hashes. */
        ChunkSource around(ChunkSource origin, SwarmChunkSource.TrustedHashes hashes, ChunkCodec codec) {
            Supplier<List<SwarmPeer>> peers = () -> run.client().direct().peers().stream()
                    .map(peer -> new SwarmPeer(peer.nodeId().toString(),
                            RemoteChunkSource.endpoint(peer.address(), peer.port())))
                    .toList();
            return target.around(origin, hashes, codec, peers);
        }

        /** After this target's restore: serves its peers while the session says any of them runs. */
        void linger() {
            target.linger(this::othersRunning, LINGER);
        }

        private boolean othersRunning() {
            try {
                return run.client().direct().sourceNeeded();
            } catch (ApiException e) {
                // The session ended (its token died with it), or the service is away: stop serving either way.
                return false;
            }
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
