package io.pureboot.clone.agent.bench;

import io.pureboot.clone.agent.direct.DirectSourceServer;
import io.pureboot.clone.agent.direct.DiskChunks;
import io.pureboot.clone.agent.direct.MutualTls;
import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.image.RestoreJournal;
import io.pureboot.clone.agent.image.TargetDisk;
import io.pureboot.clone.agent.image.ZeroFrames;
import io.pureboot.clone.agent.swarm.HeldChunks;
import io.pureboot.clone.agent.swarm.RawDisk;
import io.pureboot.clone.agent.swarm.SwarmChunkSource;
import io.pureboot.clone.agent.swarm.SwarmPeer;
import io.pureboot.clone.agent.swarm.SwarmServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One node of the swarm benchmark (node-agent/bench/swarm-bench.sh), run in its own network namespace. Arguments are
 * {@code key=value}:
 * <ul>
 *   <li>{@code role=source disk=FILE listen=IP:PORT certs=DIR chunk-mib=N}: serves the raw disk as a direct source
 *       (certificate {@code DIR/source.pem}, key {@code DIR/source.key}, CA {@code DIR/ca.pem}) until killed;
 *   <li>{@code role=target id=ID disk=FILE source=IP:PORT listen=IP:PORT certs=DIR run=DIR swarm=true|false
 *       peers=ID@IP:PORT,... [workers=N]}: starts its chunk server (swarm only), rehearses the restore
 *       ({@link #rehearse}), writes {@code RUN/ID.ready}, waits for {@code RUN/go}, restores, writes
 *       {@code RUN/ID.done} (epoch millis, chunks from peers and from the source), then keeps serving its peers
 *       until {@code RUN/stop} appears (swarm only); then writes {@code RUN/ID.cpu} (its CPU milliseconds since
 *       go); writes {@code RUN/ID.failed} if it fails.
 * </ul>
 * The same session certificates and checks as a real direct-mode target; only the disk is raw (no partition table),
 * so the figures are the data plane's.
 */
public final class SwarmBenchNode {

    private static final String SESSION = "5e55a0b1-0000-4000-8000-00000000be0c";
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration LIMIT = Duration.ofMinutes(20);
    private static final int REHEARSAL_HANDSHAKES = 20;
    private static final int REHEARSAL_CHUNKS = 32;
    private static final int REHEARSAL_ROUNDS = 10;
    private static final Duration QUIET_FOR = Duration.ofSeconds(2);
    private static final Duration QUIET_STEP = Duration.ofMillis(250);
    private static final Duration LONGEST_SETTLE = Duration.ofMinutes(3);

    private SwarmBenchNode() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        switch (required(options, "role")) {
            case "source" -> source(options);
            case "target" -> {
                try {
                    target(options);
                } catch (Exception | Error e) {
                    // the script waits for a .done or a .failed of every target, not for a timeout
                    Files.writeString(Path.of(required(options, "run")).resolve(required(options, "id") + ".failed"),
                            e + "\n");
                    throw e;
                }
            }
            default -> throw new IllegalArgumentException("role must be source or target");
        }
    }

    private static void source(Map<String, String> options) throws Exception {
        Path disk = Path.of(required(options, "disk"));
        long size = Files.size(disk);
        int chunkSize = Integer.parseInt(required(options, "chunk-mib")) << 20;
        ChunkCodec codec = ChunkCodec.zstdJni(3);
        Manifest manifest = RawDisk.streamedManifest("bench", size, chunkSize, codec.level());
        SessionCredentials credentials = credentials(Path.of(required(options, "certs")), "source");
        try (DiskChunks chunks = DiskChunks.open(disk, RawDisk.chunks(size, chunkSize), codec);
                DirectSourceServer server = DirectSourceServer.start(address(required(options, "listen")),
                        credentials.sslContext(), SESSION, Set.of(), manifest, chunks, 16)) {
            System.out.println("source listening on " + server.port());
            Thread.sleep(LIMIT.toMillis());
        }
    }

    private static void target(Map<String, String> options) throws Exception {
        String id = required(options, "id");
        Path run = Path.of(required(options, "run"));
        Path disk = Path.of(required(options, "disk"));
        boolean swarm = Boolean.parseBoolean(required(options, "swarm"));
        SessionCredentials credentials = credentials(Path.of(required(options, "certs")), id);
        String[] origin = required(options, "source").split(":");
        List<SwarmPeer> peers = new ArrayList<>();
        for (String peer : options.getOrDefault("peers", "").split(",")) {
            if (!peer.isBlank()) {
                String[] parts = peer.split("[@:]");
                peers.add(new SwarmPeer(parts[0], RemoteChunkSource.endpoint(parts[1], Integer.parseInt(parts[2]))));
            }
        }
        ChunkCodec codec = ChunkCodec.zstdJni(3);
        HeldChunks held = new HeldChunks();
        SwarmServer server = swarm ? SwarmServer.start(address(required(options, "listen")),
                credentials.sslContext(), SESSION, held, disk, ChunkCodec.zstdJni(1), 8) : null;
        try (RemoteChunkSource remote = new RemoteChunkSource(RemoteChunkSource.endpoint(origin[0],
                Integer.parseInt(origin[1])), credentials.sslContext(), Duration.ofMinutes(2))) {
            Manifest manifest = remote.manifest();
            int workers = Integer.parseInt(options.getOrDefault("workers", "4"));
            rehearse(credentials, address(required(options, "listen")).getHostString(), run, id, workers);
            awaitQuiet();
            Files.writeString(run.resolve(id + ".ready"), "ready\n");
            await(run.resolve("go"));
            System.out.println("go"); // marks the timed part in the log (with -XX:+PrintCompilation, say)
            Duration cpuAtGo = cpuTime();
            long started = System.currentTimeMillis();
            String counts;
            ChunkSource source = swarm ? new SwarmChunkSource(id, remote, remote::sha256, held, codec,
                    credentials.peerSslContext(SESSION), () -> peers, SwarmChunkSource.Options.defaults()) : remote;
            try (TargetDisk target = TargetDisk.open(disk);
                    RestoreJournal journal = RestoreJournal.open(run.resolve(id + ".journal"), "bench")) {
                new RestoreEngine(new RestoreEngine.Options(codec, workers, RestoreEngine.UnusedPolicy.SKIP, 0))
                        .restore(source, RawDisk.layout(manifest), target, journal, ProgressListener.NONE);
                counts = source instanceof SwarmChunkSource swarming
                        ? swarming.counts().fromPeers() + " " + swarming.counts().fromOrigin() + " "
                                + swarming.counts().dropped().size() + " " + swarming.counts().originReasons()
                        : "0 " + manifest.chunks().size() + " 0";
            } finally {
                if (source != remote) {
                    source.close();
                }
            }
            long finished = System.currentTimeMillis();
            System.out.println("done");
            Files.writeString(run.resolve(id + ".done"), finished + " " + (finished - started) + " " + counts + "\n");
            if (server != null) {
                await(run.resolve("stop"));
            }
            // from go to the end of the timed part: a swarm target keeps serving its peers until the last is done
            Files.writeString(run.resolve(id + ".cpu"), cpuTime().minus(cpuAtGo).toMillis() + "\n");
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * Rehearses what the timed restore runs before the target says ready: a chunk server of its own on a scratch file
     * of random bytes, {@link #REHEARSAL_HANDSHAKES} full TLS handshakes with it, then {@link #REHEARSAL_ROUNDS}
     * restores of that file by a swarm source whose one peer is that server (this target's own certificate, so the
     * peer checks hold) and whose origin is the file itself. A real node's agent compiles its hot code on cores of its
     * own; here 17 JVMs compiling the same paths at once on 2 cores made the timed part measure the compilers: perf
     * over the 16-target swarm run put 28 % of the machine's CPU in the C1 and C2 compiler threads, and much of the
     * rest in the interpreter, with only handshakes and the codecs rehearsed.
     */
    private static void rehearse(SessionCredentials credentials, String host, Path run, String id, int workers)
            throws Exception {
        ChunkCodec codec = ChunkCodec.zstdJni(3);
        int chunkSize = 1 << 20;
        Path scratch = run.resolve(id + ".rehearsal");
        Path restored = run.resolve(id + ".rehearsed");
        byte[][] frames = new byte[REHEARSAL_CHUNKS][];
        String[] hashes = new String[REHEARSAL_CHUNKS];
        HeldChunks held = new HeldChunks();
        try (FileChannel file = FileChannel.open(scratch, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[chunkSize];
            byte[] frame = new byte[codec.maxCompressedLength(chunkSize)];
            for (int i = 0; i < REHEARSAL_CHUNKS; i++) {
                new SecureRandom().nextBytes(chunk);
                file.write(ByteBuffer.wrap(chunk), (long) i * chunkSize);
                hashes[i] = ZeroFrames.sha256(chunk, chunkSize);
                frames[i] = Arrays.copyOf(frame, codec.compress(chunk, chunkSize, frame));
                held.add(i, new HeldChunks.Held(hashes[i], (long) i * chunkSize, chunkSize));
            }
        }
        Files.write(restored, new byte[0]);
        try (SwarmServer server = SwarmServer.start(new InetSocketAddress(host, 0), credentials.sslContext(), SESSION,
                held, scratch, ChunkCodec.zstdJni(1), 8)) {
            URI peer = RemoteChunkSource.endpoint(host, server.port());
            handshakes(credentials, peer.resolve("/swarm/v1/have"));
            Manifest manifest = RawDisk.streamedManifest("rehearsal", (long) REHEARSAL_CHUNKS * chunkSize, chunkSize,
                    codec.level());
            ChunkSource origin = new ChunkSource() {
                @Override
                public Frame frame(ManifestChunk chunk) {
                    return new Frame(frames[chunk.index()], hashes[chunk.index()]);
                }

                @Override
                public String describe(ManifestChunk chunk) {
                    return "the rehearsal's chunk " + chunk.index();
                }

                @Override
                public void close() {
                }
            };
            for (int round = 0; round < REHEARSAL_ROUNDS; round++) {
                try (ChunkSource source = new SwarmChunkSource("rehearsal-" + id, origin,
                        chunk -> hashes[chunk.index()], new HeldChunks(), codec, credentials.peerSslContext(SESSION),
                        () -> List.of(new SwarmPeer(id, peer)), SwarmChunkSource.Options.defaults());
                        TargetDisk target = TargetDisk.open(restored);
                        RestoreJournal journal = RestoreJournal.open(run.resolve(id + ".rehearsal" + round
                                + ".journal"), "rehearsal")) {
                    new RestoreEngine(new RestoreEngine.Options(codec, workers, RestoreEngine.UnusedPolicy.SKIP, 0))
                            .restore(source, RawDisk.layout(manifest), target, journal, ProgressListener.NONE);
                }
            }
            if (Files.mismatch(scratch, restored) != -1) {
                throw new IllegalStateException("the rehearsal restored " + restored + " unlike " + scratch);
            }
        } finally {
            Files.deleteIfExists(scratch);
            Files.deleteIfExists(restored);
        }
    }

    /**
     * Waits until this JVM has used under 5 % of a core for {@link #QUIET_FOR} (at most {@link #LONGEST_SETTLE}): the
     * 17 JVMs rehearse at once, so their compile queues are long when the rehearsal ends, and the compilers are what
     * still runs then. (The process's CPU time, from java.base: the boot image's runtime has no java.management.)
     */
    private static void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + LONGEST_SETTLE.toNanos();
        Duration last = cpuTime();
        int quietSteps = 0;
        while (quietSteps < QUIET_FOR.dividedBy(QUIET_STEP) && System.nanoTime() - deadline < 0) {
            Thread.sleep(QUIET_STEP.toMillis());
            Duration now = cpuTime();
            quietSteps = now.minus(last).compareTo(QUIET_STEP.dividedBy(20)) < 0 ? quietSteps + 1 : 0;
            last = now;
        }
    }

    private static Duration cpuTime() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Full TLS handshakes, client and server side: a new client each time, so a new connection. */
    private static void handshakes(SessionCredentials credentials, URI have) throws InterruptedException {
        for (int i = 0; i < REHEARSAL_HANDSHAKES; i++) {
            try (HttpClient http = MutualTls.client(credentials.peerSslContext(SESSION), Duration.ofSeconds(30))) {
                http.send(HttpRequest.newBuilder(have).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                System.err.println("rehearsal handshake failed: " + e);
            }
        }
    }

    private static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(file + " did not appear within " + LIMIT.toMinutes() + " minutes");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static SessionCredentials credentials(Path certs, String name) throws IOException {
        return new SessionCredentials(Files.readString(certs.resolve(name + ".pem")),
                Files.readString(certs.resolve(name + ".key")), Files.readString(certs.resolve("ca.pem")));
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return value;
    }
}
