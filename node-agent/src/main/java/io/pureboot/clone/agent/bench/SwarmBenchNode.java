package io.pureboot.clone.agent.bench;

import io.pureboot.clone.agent.direct.DirectSourceServer;
import io.pureboot.clone.agent.direct.DiskChunks;
import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.image.RestoreJournal;
import io.pureboot.clone.agent.image.TargetDisk;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One node of the swarm benchmark (node-agent/bench/swarm-bench.sh), run in its own network namespace. Arguments are
 * {@code key=value}:
 * <ul>
 *   <li>{@code role=source disk=FILE listen=IP:PORT certs=DIR chunk-mib=N}: serves the raw disk as a direct source
 *       (certificate {@code DIR/source.pem}, key {@code DIR/source.key}, CA {@code DIR/ca.pem}) until killed;
 *   <li>{@code role=target id=ID disk=FILE source=IP:PORT listen=IP:PORT certs=DIR run=DIR swarm=true|false
 *       peers=ID@IP:PORT,... [workers=N]}: starts its chunk server and warms its TLS code (swarm only), writes
 *       {@code RUN/ID.ready}, waits for {@code RUN/go}, restores, writes {@code RUN/ID.done} (epoch millis, chunks
 *       from peers and from the source), then keeps serving its peers until {@code RUN/stop} appears; writes
 *       {@code RUN/ID.failed} if it fails.
 * </ul>
 * The same session certificates and checks as a real direct-mode target; only the disk is raw (no partition table),
 * so the figures are the data plane's.
 */
public final class SwarmBenchNode {

    private static final String SESSION = "5e55a0b1-0000-4000-8000-00000000be0c";
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration LIMIT = Duration.ofMinutes(20);
    private static final int WARM_UP_HANDSHAKES = 20;
    private static final int WARM_UP_MIB = 48;

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
            warmUpDataPath(codec);
            if (server != null) {
                warmUp(credentials, address(required(options, "listen")));
            }
            Files.writeString(run.resolve(id + ".ready"), "ready\n");
            await(run.resolve("go"));
            long started = System.currentTimeMillis();
            String counts;
            ChunkSource source = swarm ? new SwarmChunkSource(id, remote, remote::sha256, held, codec,
                    credentials.peerSslContext(SESSION), () -> peers, SwarmChunkSource.Options.defaults()) : remote;
            try (TargetDisk target = TargetDisk.open(disk);
                    RestoreJournal journal = RestoreJournal.open(run.resolve(id + ".journal"), "bench")) {
                int workers = Integer.parseInt(options.getOrDefault("workers", "4"));
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
            Files.writeString(run.resolve(id + ".done"), finished + " " + (finished - started) + " " + counts + "\n");
            if (server != null) {
                await(run.resolve("stop"));
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * TLS handshakes with its own chunk server before the target says ready, client and server side, so that the
     * timed restore does not run the TLS code cold: an agent has made TLS calls for minutes before a restore, and a
     * cold JVM's first handshakes (interpreted, then C1-compiled) on 2 cores shared by 17 JVMs took tens of seconds.
     */
    private static void warmUp(SessionCredentials credentials, InetSocketAddress server) throws InterruptedException {
        URI have = RemoteChunkSource.endpoint(server.getAddress().getHostAddress(), server.getPort())
                .resolve("/swarm/v1/have");
        for (int i = 0; i < WARM_UP_HANDSHAKES; i++) {
            // a new client each time: a new connection, a full handshake
            try (HttpClient http = HttpClient.newBuilder().sslContext(credentials.peerSslContext(SESSION))
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build()) {
                http.send(HttpRequest.newBuilder(have).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                System.err.println("warm-up handshake failed: " + e);
            }
        }
    }

    /**
     * Runs what every chunk costs (zstd both ways, SHA-256, AES-GCM as TLS encrypts records) on {@link #WARM_UP_MIB}
     * MiB before the target says ready, so that the JIT has compiled it: a real node's agent runs alone on its cores,
     * but here 17 JVMs compiling the same paths at once on 2 cores made the timed part measure the compilers.
     */
    private static void warmUpDataPath(ChunkCodec codec) throws GeneralSecurityException {
        byte[] chunk = new byte[1 << 20];
        new SecureRandom().nextBytes(chunk);
        byte[] frame = new byte[codec.maxCompressedLength(chunk.length)];
        byte[] back = new byte[chunk.length];
        byte[] sealed = new byte[chunk.length + 16];
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        for (int i = 0; i < WARM_UP_MIB; i++) {
            int length = codec.compress(chunk, chunk.length, frame);
            codec.decompress(frame, 0, length, back, back.length);
            MessageDigest.getInstance("SHA-256").digest(back);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, ByteBuffer.allocate(12).putInt(i).array()));
            cipher.doFinal(chunk, 0, chunk.length, sealed);
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
