package io.pureboot.clone.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.direct.DirectSourceServer;
import io.pureboot.clone.agent.direct.DiskChunks;
import io.pureboot.clone.agent.direct.PeerIdentity;
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
import io.pureboot.clone.agent.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swarm over real mutual TLS on 127.0.0.1, on image files: several targets restore one direct source's disk at
 * once and take most chunks from each other; a peer serving bad bytes is dropped and the chunk comes from elsewhere; a
 * target stopped mid-way does not hold the others back and resumes from its journal; a peer presenting another node's
 * certificate is never used. The source is slowed a little per chunk, as a full link would, so peers matter.
 */
class SwarmCloneTest {

    private static final int MIB = 1 << 20;
    private static final int CHUNK = MIB;
    private static final long DISK = 40L * MIB;
    private static final String SESSION = "7d1e0c55-2a8b-4f0e-9c3d-5b6a7e8f9a0b";
    private static final String LOOPBACK = "127.0.0.1";
    private static final ChunkCodec CODEC = ChunkCodec.zstdJni(3);
    private static final SwarmChunkSource.Options OPTIONS = new SwarmChunkSource.Options(Duration.ofMillis(100),
            1000, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(20), 8, 12,
            3, Duration.ofSeconds(1), Duration.ofSeconds(10), 1);
    /** As the agent's: have maps read slowly (4 a second across the swarm), the seeders' waits carry the chunks. */
    private static final SwarmChunkSource.Options BUDGETED = new SwarmChunkSource.Options(Duration.ofMillis(100), 4,
            Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60), 8, 12, 3,
            Duration.ofSeconds(2), Duration.ofSeconds(10), 1);

    @TempDir
    Path directory;

    private TestCertificates ca;
    private Path sourceDisk;
    private Manifest manifest;
    private CountingChunks origin;
    private DirectSourceServer source;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void serveSource() throws IOException {
        ca = TestCertificates.newCa(Files.createDirectories(directory.resolve("ca")), "session-ca");
        sourceDisk = directory.resolve("source.img");
        Files.write(sourceDisk, content(DISK));
        manifest = RawDisk.streamedManifest("source", DISK, CHUNK, CODEC.level());
        origin = new CountingChunks(DiskChunks.open(sourceDisk, RawDisk.chunks(DISK, CHUNK), CODEC),
                Duration.ofMillis(40));
        SessionCredentials credentials = ca.issue(new PeerIdentity(SESSION, "source", "src"), LOOPBACK);
        source = DirectSourceServer.start(new InetSocketAddress(LOOPBACK, 0), credentials.sslContext(), SESSION,
                Set.of(), manifest, origin, 8);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closing.reversed()) {
            closeable.close();
        }
        source.close();
        origin.close();
    }

    @Test
    void fourTargetsTakeMostChunksFromEachOtherAndTheSourceSendsEachAboutOnce() throws Exception {
        List<Node> nodes = List.of(node("t1"), node("t2"), node("t3"), node("t4"));
        long started = System.nanoTime();
        List<CompletableFuture<SwarmChunkSource.Counts>> restores = new ArrayList<>();
        for (Node node : nodes) {
            restores.add(CompletableFuture.supplyAsync(() -> node.restore(peersOf(nodes), 0, BUDGETED)));
        }
        long fromPeers = 0;
        for (CompletableFuture<SwarmChunkSource.Counts> restore : restores) {
            SwarmChunkSource.Counts counts = restore.get(180, TimeUnit.SECONDS);
            assertThat(counts.dropped()).isEmpty();
            fromPeers += counts.fromPeers();
        }
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        for (Node node : nodes) {
            assertThat(Files.mismatch(node.disk, sourceDisk)).as(node.id).isEqualTo(-1);
        }
        int chunks = manifest.chunks().size();
        // Fan-out would read every chunk from the source once per target (160 frames); the seeders read each once.
        assertThat(origin.frames.get()).as("frames the source sent").isBetween(chunks, chunks + 4);
        assertThat(fromPeers).isEqualTo(4L * chunks - origin.frames.get());
        assertThat(nodes.stream().mapToLong(node -> node.server.chunksServed()).sum()).isEqualTo(fromPeers);
        // Each of the 4 targets reads each of its 3 peers' have maps once at first contact and then every
        // 4 * 3 / 4 = 3 s (every started period counts), not every 0.1 s.
        assertThat(nodes.stream().mapToLong(node -> node.server.haveMapsServed()).sum())
                .as("have maps read in %d ms", millis).isLessThanOrEqualTo(12 * (Math.ceilDiv(millis, 3000) + 2));
    }

    @Test
    void aPeerServingBadBytesIsDroppedAndTheChunkComesFromElsewhere() throws Exception {
        Node honest = node("t1");
        Path garbage = directory.resolve("evil.img");
        byte[] lies = new byte[(int) DISK];
        new Random(99).nextBytes(lies);
        Files.write(garbage, lies);
        // The evil peer claims every chunk, with the hash of what it actually serves, so only the check against the
        // source's hash can catch it.
        HeldChunks claims = new HeldChunks();
        for (ManifestChunk chunk : manifest.chunks()) {
            claims.add(chunk.index(), new HeldChunks.Held(ZeroFrames.sha256(Arrays.copyOfRange(lies,
                    (int) chunk.offset(), (int) chunk.end()), chunk.length()), chunk.offset(), chunk.length()));
        }
        SwarmServer evil = SwarmServer.start(new InetSocketAddress(LOOPBACK, 0),
                ca.issue(new PeerIdentity(SESSION, "target", "evil"), null).sslContext(), SESSION, claims, garbage,
                ChunkCodec.zstdJni(1), 2);
        closing.add(evil);

        SwarmChunkSource.Counts counts = honest.restore(() -> List.of(new SwarmPeer("evil",
                RemoteChunkSource.endpoint(LOOPBACK, evil.port()))), 0);

        assertThat(Files.mismatch(honest.disk, sourceDisk)).isEqualTo(-1);
        // The restore's 4 workers may each have asked before the first answer was checked; none asks after.
        assertThat(evil.chunksServed()).as("chunks the evil peer served").isBetween(1L, 4L);
        assertThat(counts.fromPeers()).isZero();
        assertThat(counts.dropped()).singleElement().asString().startsWith("evil: it served chunk ")
                .contains(" with SHA-256 ").contains(", expected ");
        assertThat(honest.lastDropped).singleElement().satisfies(dropped -> {
            assertThat(dropped.nodeId()).isEqualTo("evil");
            assertThat(dropped.reason()).startsWith("it served chunk ").contains(", expected ");
        });
    }

    @Test
    void aTargetStoppedMidwayDoesNotHoldTheOthersBackAndResumes() throws Exception {
        List<Node> nodes = List.of(node("t1"), node("t2"), node("t3"));
        Node stopped = nodes.get(2);
        CompletableFuture<SwarmChunkSource.Counts> first = CompletableFuture.supplyAsync(
                () -> nodes.get(0).restore(peersOf(nodes), 0));
        CompletableFuture<SwarmChunkSource.Counts> second = CompletableFuture.supplyAsync(
                () -> nodes.get(1).restore(peersOf(nodes), 0));
        assertThatThrownBy(() -> stopped.restore(peersOf(nodes), 8))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
        // Gone as a killed node is: its chunk server no longer answers.
        stopped.server.close();
        long started = System.nanoTime();
        first.get(120, TimeUnit.SECONDS);
        second.get(120, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        assertThat(Files.mismatch(nodes.get(0).disk, sourceDisk)).isEqualTo(-1);
        assertThat(Files.mismatch(nodes.get(1).disk, sourceDisk)).isEqualTo(-1);

        int framesBefore = origin.frames.get();
        stopped.startServer();
        SwarmChunkSource.Counts resumed = stopped.restore(peersOf(nodes), 0);
        assertThat(stopped.lastResult.resumedFrom()).isPositive();
        assertThat(Files.mismatch(stopped.disk, sourceDisk)).isEqualTo(-1);
        assertThat(resumed.fromPeers()).as("the others hold everything by now: %s", resumed)
                .isEqualTo(manifest.chunks().size() - stopped.lastResult.resumedFrom());
        assertThat(origin.frames.get()).isEqualTo(framesBefore);
    }

    @Test
    void aPeerPresentingAnotherNodesCertificateIsNeverUsed() throws Exception {
        Node honest = node("t1");
        HeldChunks everything = new HeldChunks();
        byte[] bytes = Files.readAllBytes(sourceDisk);
        for (ManifestChunk chunk : manifest.chunks()) {
            everything.add(chunk.index(), new HeldChunks.Held(ZeroFrames.sha256(Arrays.copyOfRange(bytes,
                    (int) chunk.offset(), (int) chunk.end()), chunk.length()), chunk.offset(), chunk.length()));
        }
        // Listed as t3 but holding t2's certificate (of the right session and CA).
        SwarmServer impostor = SwarmServer.start(new InetSocketAddress(LOOPBACK, 0),
                ca.issue(new PeerIdentity(SESSION, "target", "t2"), null).sslContext(), SESSION, everything,
                sourceDisk, ChunkCodec.zstdJni(1), 2);
        closing.add(impostor);

        SwarmChunkSource.Counts counts = honest.restore(() -> List.of(new SwarmPeer("t3",
                RemoteChunkSource.endpoint(LOOPBACK, impostor.port()))), 0);

        assertThat(Files.mismatch(honest.disk, sourceDisk)).isEqualTo(-1);
        assertThat(counts.fromPeers()).isZero();
        assertThat(impostor.chunksServed()).isZero();
    }

    private static Supplier<List<SwarmPeer>> peersOf(List<Node> nodes) {
        return () -> nodes.stream().map(Node::peer).toList();
    }

    /** Half random bytes, half text-like runs: some chunks compress, some do not. */
    private static byte[] content(long size) {
        byte[] bytes = new byte[(int) size];
        Random random = new Random(42);
        random.nextBytes(bytes);
        for (int i = 0; i < bytes.length; i += 2 * 4096) {
            for (int j = 0; j < 4096; j++) {
                bytes[i + j] = (byte) ('a' + (i / 4096 + j) % 26);
            }
        }
        return bytes;
    }

    private Node node(String id) throws IOException {
        Node node = new Node(id, ca.issue(new PeerIdentity(SESSION, "target", id), null),
                directory.resolve(id + ".img"), directory.resolve(id + ".journal"));
        Files.write(node.disk, new byte[(int) DISK]);
        node.startServer();
        closing.add(node);
        return node;
    }

    /** A target: its disk, journal, what it holds and its chunk server. */
    private final class Node implements AutoCloseable {
        final String id;
        final SessionCredentials credentials;
        final Path disk;
        final Path journal;
        final HeldChunks held = new HeldChunks();
        SwarmServer server;
        volatile RestoreEngine.Result lastResult;
        volatile List<SwarmChunkSource.DroppedPeer> lastDropped;

        Node(String id, SessionCredentials credentials, Path disk, Path journal) {
            this.id = id;
            this.credentials = credentials;
            this.disk = disk;
            this.journal = journal;
        }

        void startServer() {
            server = SwarmServer.start(new InetSocketAddress(LOOPBACK, 0), credentials.sslContext(), SESSION, held,
                    disk, ChunkCodec.zstdJni(1), 4);
        }

        SwarmPeer peer() {
            return new SwarmPeer(id, RemoteChunkSource.endpoint(LOOPBACK, server.port()));
        }

        SwarmChunkSource.Counts restore(Supplier<List<SwarmPeer>> peers, int stopAfterChunks) {
            return restore(peers, stopAfterChunks, OPTIONS);
        }

        SwarmChunkSource.Counts restore(Supplier<List<SwarmPeer>> peers, int stopAfterChunks,
                SwarmChunkSource.Options options) {
            URI uri = RemoteChunkSource.endpoint(LOOPBACK, source.port());
            try (RemoteChunkSource remote = new RemoteChunkSource(uri, credentials.sslContext(),
                    Duration.ofSeconds(10));
                    SwarmChunkSource swarm = new SwarmChunkSource(id, remote, remote::sha256, held, CODEC,
                            credentials.peerSslContext(SESSION), peers, options);
                    TargetDisk target = TargetDisk.open(disk);
                    RestoreJournal entries = RestoreJournal.open(journal, "swarm-test")) {
                Manifest streamed = remote.manifest();
                RestoreEngine engine = new RestoreEngine(new RestoreEngine.Options(CODEC, 4,
                        RestoreEngine.UnusedPolicy.SKIP, stopAfterChunks));
                lastResult = engine.restore(swarm, RawDisk.layout(streamed), target, entries, ProgressListener.NONE);
                lastDropped = swarm.dropped();
                return swarm.counts();
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** The source's chunks, counted, each after a delay (a link the targets share). */
    private static final class CountingChunks implements ChunkSource {
        final DiskChunks chunks;
        final Duration delay;
        final AtomicInteger frames = new AtomicInteger();

        CountingChunks(DiskChunks chunks, Duration delay) {
            this.chunks = chunks;
            this.delay = delay;
        }

        @Override
        public Frame frame(ManifestChunk chunk) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            frames.incrementAndGet();
            return chunks.frame(chunk);
        }

        @Override
        public String describe(ManifestChunk chunk) {
            return chunks.describe(chunk);
        }

        @Override
        public void close() {
            chunks.close();
        }
    }
}
