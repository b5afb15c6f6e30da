package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.clone.DirectSource;
import io.pureboot.clone.agent.clone.DirectTarget;
import io.pureboot.clone.agent.clone.TargetRestore;
import io.pureboot.clone.agent.direct.OwnAddress;
import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.report.ApiException;
import io.pureboot.clone.agent.report.ProgressReporter;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.DirectInfo;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.NodeRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Direct mode: the source serves its disk over mutual TLS with a certificate from the clone-service's CA naming its
 * address; each target pulls it with its own certificate of the session and restores it as from staging.
 */
public final class DirectModeCommands {

    private static final Logger LOG = Logger.getLogger(DirectModeCommands.class.getName());
    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    /** The source asks the clone-service whether it is still needed every this many checks (10 s). */
    private static final int ASK_SERVICE_EVERY = 5;

    private DirectModeCommands() {
    }

    /** The direct-mode source. */
    @Command(name = AgentMode.Names.CLONE_SOURCE_DIRECT, mixinStandardHelpOptions = true,
            description = "Serve the source disk to the session's targets over mutual TLS until every target is done, "
                    + "shrinking filesystems first (and growing them back after) with shrink_source.")
    public static final class Source implements Callable<Integer> {

        @Mixin
        NodeOptions options;

        @Option(names = "--direct-address", paramLabel = "IP",
                description = "The IP address targets reach this node at (pureboot.direct_address; default: its "
                        + "address in pureboot.direct_network, else the local address of the route to the server).")
        String address;

        @Option(names = "--direct-port", paramLabel = "PORT",
                description = "TCP port to serve on (pureboot.direct_port, default 7443; 0: any free port).")
        Integer port;

        @Option(names = "--direct-timeout", paramLabel = "MINUTES",
                description = "How long to serve before giving up on targets that are not done "
                        + "(pureboot.direct_timeout, default 720).")
        Integer timeoutMinutes;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (NodeRun run = new NodeRun(options)) {
                return run.reportingFailures(() -> {
                    InetAddress own = ownAddress(options, address);
                    String ip = own.getHostAddress();
                    Instructions instructions = run.instructions(NodeRole.SOURCE);
                    BlockDevice disk = run.devices().byStableId(instructions.diskId());
                    SessionCredentials credentials = run.client().directCertificate(ip);
                    Set<String> targets = run.client().direct().targets().stream().map(UUID::toString)
                            .collect(Collectors.toSet());
                    int listenPort = NodeOptions.number(options.setting(port == null ? null : port.toString(), "direct_port"),
                            "direct_port", 7443, 0);
                    int minutes = NodeOptions.number(options.setting(timeoutMinutes == null ? null : timeoutMinutes.toString(),
                            "direct_timeout"), "direct_timeout", 720, 1);
                    DirectSource.Options serving = new DirectSource.Options(
                            instructions.resizeMode() == ResizeMode.SHRINK_SOURCE, ChunkLayout.DEFAULT_CHUNK_SIZE,
                            ChunkCodec.zstdJni(options.zstdLevel()), Math.max(4, 2 * options.workers()),
                            new InetSocketAddress(own, listenPort), Duration.ofMinutes(minutes), CHECK_EVERY,
                            instructions.repairSource());
                    DirectSource.Result result;
                    try (ProgressReporter reporter = ProgressReporter.every(Duration.ofSeconds(2),
                            run.client()::progressOnce)) {
                        result = new DirectSource(run.devices(), run.filesystems(), run.cleanup()).serve(disk,
                                credentials.sslContext(), instructions.sessionId().toString(), serving,
                                new ServiceSession(run, ip, targets), reporter.phases(disk.sizeBytes()),
                                reporter);
                    }
                    completeQuietly(run);
                    spec.commandLine().getOut().println("served " + disk.path() + " (" + disk.stableId() + ") to "
                            + result.targetsDone().size() + " of " + targets.size() + " targets"
                            + (result.allDone() ? "" : "; the clone-service released the source"));
                    return 0;
                });
            }
        }
    }

    /** The direct-mode target. */
    @Command(name = AgentMode.Names.CLONE_TARGET_DIRECT, mixinStandardHelpOptions = true,
            description = "Pull the source's disk over mutual TLS and restore it: new partition table from the plan, "
                    + "verified chunks at their planned places, then filesystems grown and checked.")
    public static final class Target implements Callable<Integer> {

        /** How long a target waits for its source to listen (it is normally armed only after that). */
        private static final Duration SOURCE_WAIT = Duration.ofMinutes(10);

        @Mixin
        NodeOptions options;

        @Mixin
        SwarmOptions swarmOptions;

        @Option(names = "--zero-unused", description = "Write zeros where the source's filesystems were free "
                + "(default: leave those blocks as they are).")
        boolean zeroUnused;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (NodeRun run = new NodeRun(options)) {
                return run.reportingFailures(() -> {
                    Instructions instructions = run.instructions(NodeRole.TARGET);
                    BlockDevice disk = run.devices().byStableId(instructions.diskId());
                    DirectInfo.Endpoint endpoint = awaitSource(run).source();
                    boolean swarming = swarmOptions.on(options, instructions);
                    SessionCredentials credentials = run.client().directCertificate(null);
                    URI source = RemoteChunkSource.endpoint(endpoint.address(), endpoint.port());
                    // Chunks come over the network: more requests in flight than cores hide the round trips. In
                    // the swarm most of them wait for a peer to have the chunk, while this target seeds the next
                    // ones from the source: a wider window keeps the source and the peers busy at once.
                    RestoreEngine.Options engine = new RestoreEngine.Options(ChunkCodec.zstdJni(options.zstdLevel()),
                            Math.max(swarming ? SwarmOptions.WORKERS : 4, options.workers()),
                            zeroUnused ? RestoreEngine.UnusedPolicy.ZERO : RestoreEngine.UnusedPolicy.SKIP,
                            options.stopAfterChunks);
                    TargetRestore.Result result;
                    try (SwarmOptions.Swarm swarm = swarming ? swarmOptions.start(options, run,
                            instructions.sessionId().toString(), credentials, disk) : null) {
                        try (ProgressReporter reporter = ProgressReporter.every(Duration.ofSeconds(2),
                                run.client()::progressOnce)) {
                            TargetRestore restore = new TargetRestore(run.devices(), run.filesystems(), run.runner());
                            result = new DirectTarget(restore).restore(disk, source, credentials.sslContext(),
                                    Duration.ofMinutes(2), instructions.plan(),
                                    new TargetRestore.Options(engine, options.stateDirectory()),
                                    reporter.phases(disk.sizeBytes()), reporter, remote -> swarm == null
                                            ? remote : swarm.around(remote, remote::sha256, engine.codec()));
                        }
                        run.client().complete();
                        if (swarm != null) {
                            // The others may still need what this target holds; the session says when they are done.
                            swarm.linger();
                        }
                    }
                    spec.commandLine().getOut().println("restored " + source + " onto " + disk.path() + " ("
                            + disk.stableId() + "): " + result.engine().bytesWritten() + " bytes written, "
                            + result.partitions().size() + " partitions");
                    return 0;
                });
            }
        }

        /** The session's direct view once its source listens. */
        private static DirectInfo awaitSource(NodeRun run) throws InterruptedException {
            long deadline = System.nanoTime() + SOURCE_WAIT.toNanos();
            while (true) {
                DirectInfo direct = run.client().direct();
                if (direct.source() != null) {
                    return direct;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AgentException(FailureKind.PEER, "the source did not start listening within "
                            + SOURCE_WAIT.toMinutes() + " minutes");
                }
                Thread.sleep(CHECK_EVERY.toMillis());
            }
        }
    }

    /** The source's view of its session: it says where it listens and asks whether it is still needed. */
    private static final class ServiceSession implements DirectSource.Session {
        private final NodeRun run;
        private final String address;
        private final Set<String> targets;
        private final AtomicInteger checks = new AtomicInteger();

        ServiceSession(NodeRun run, String address, Set<String> targets) {
            this.run = run;
            this.address = address;
            this.targets = Set.copyOf(targets);
        }

        @Override
        public void listening(int port, List<SourceRepair> repairs) {
            for (SourceRepair repair : repairs) {
                LOG.info("repaired the source before serving it: " + repair);
            }
            run.client().directListening(address, port, repairs);
        }

        @Override
        public Set<String> expectedTargets() {
            return targets;
        }

        @Override
        public boolean stillNeeded() {
            if (checks.incrementAndGet() % ASK_SERVICE_EVERY != 0) {
                return true;
            }
            try {
                return run.client().direct().sourceNeeded();
            } catch (ApiException e) {
                // A 4xx means the session ended (its token died with it); anything else may pass.
                return e.retryable();
            }
        }
    }

    /** The source's last call; the session may already have ended with its targets (then its token is void). */
    private static void completeQuietly(NodeRun run) {
        try {
            run.client().complete();
        } catch (ApiException e) {
            if (e.retryable()) {
                throw e;
            }
            LOG.info("the session ended before the source said it was complete: " + e.getMessage());
        }
    }

    /** This node's address for direct mode: its own setting, its address in the data network, or toward the server. */
    private static InetAddress ownAddress(NodeOptions options, String flag) {
        return OwnAddress.choose(options.setting(flag, "direct_address"), options.setting(null, "direct_network"),
                options.server());
    }
}
