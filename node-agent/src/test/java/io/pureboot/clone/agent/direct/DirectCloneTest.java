package io.pureboot.clone.agent.direct;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.cli.AgentCommand;
import io.pureboot.clone.agent.clone.DirectSource;
import io.pureboot.clone.agent.clone.DirectTarget;
import io.pureboot.clone.agent.clone.SourceCapture;
import io.pureboot.clone.agent.clone.TargetRestore;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.disk.PartitionDevice;
import io.pureboot.clone.agent.fs.ExtFilesystem;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkKind;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.RestoreEngine;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.FakeNodeApi;
import io.pureboot.clone.agent.testing.NodeApiAnswers;
import io.pureboot.clone.agent.testing.Plans;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestCertificates;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeRole;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct mode on loop devices over real mutual TLS on 127.0.0.1: a GPT system disk (ESP, ext4 root with real files,
 * swap) served by a source and pulled by targets of the same and a larger size, with certificates from a CA made by
 * openssl; foreign certificates refused; an interrupted target resumes asking only for the remaining chunks.
 */
class DirectCloneTest {

    private static final long SOURCE_MIB = 300;
    private static final String SESSION = "3f6c1f0e-5a7b-4c8d-9e0f-1a2b3c4d5e6f";
    private static final String LOOPBACK = "127.0.0.1";
    private static final ChunkCodec CODEC = ChunkCodec.zstdJni(3);

    @RegisterExtension
    static final SystemResources SHARED = SystemResources.perClass();

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    private static Disk source;
    private static Map<String, String> rootHashes;
    private static Map<String, String> espHashes;
    private static long rootFilesystemBytes;
    private static TestCertificates ca;

    @BeforeAll
    static void buildSource() throws IOException {
        Sys.assumeRoot();
        Path directory = SHARED.tempDirectory("pureboot-direct-source");
        source = TestDisks.gptSystemDisk(SHARED, directory, SOURCE_MIB, 200, 40 * MIB);
        rootHashes = TestDisks.mountedHashes(SHARED, source.partition(2), "-o", "ro");
        espHashes = TestDisks.fatHashes(SHARED, source.partition(1));
        rootFilesystemBytes = extSize(source.partition(2));
        ca = TestCertificates.newCa(SHARED.tempDirectory("pureboot-ca"), "session-ca");
    }

    @Test
    void oneShrunkSourceServesASameSizeAndALargerTargetAndGrowsBackAfterBoth() throws Exception {
        try (RunningSource running = RunningSource.start(true, Set.of("same", "large"))) {
            Manifest manifest = client(target("same"), running.uri()).manifest();
            assertThat(manifest.streamed()).isTrue();
            assertThat(manifest.partition(2).shrunk()).isTrue();
            assertThat(manifest.chunks()).extracting(ManifestChunk::kind).contains(ChunkKind.UNUSED, ChunkKind.DATA);

            Disk same = TestDisks.blank(resources, resources.tempDirectory("pureboot-same"), "same.img",
                    SOURCE_MIB * MIB);
            restore(same, running.uri(), target("same"), null, 0);
            verifyTarget(same, Map.of(1, 64 * MIB, 2, 200 * MIB, 3, 32 * MIB));
            assertThat(extSize(same.partition(2))).isEqualTo(200 * MIB);
            assertThat(running.result.isDone()).as("the source waits for the second target").isFalse();

            long larger = SOURCE_MIB * MIB * 3 / 2;
            ResizePlan growPlan = Plans.plan(manifest, larger, ResizeMode.GROW_TARGET, Map.of(), 2);
            Disk large = TestDisks.blank(resources, resources.tempDirectory("pureboot-large"), "large.img", larger);
            restore(large, running.uri(), target("large"), growPlan, 0);
            long largeRoot = growPlan.partitions().get(1).newSizeBytes();
            verifyTarget(large, Map.of(1, 64 * MIB, 2, largeRoot, 3, 32 * MIB));
            assertThat(extSize(large.partition(2))).isEqualTo(largeRoot);

            DirectSource.Result result = running.result.get(60, TimeUnit.SECONDS);
            assertThat(result.allDone()).isTrue();
            assertThat(result.targetsDone()).containsExactlyInAnyOrder("same", "large");
        }
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", source.partition(2).toString()).exitCode()).isZero();
        assertThat(extSize(source.partition(2))).isEqualTo(rootFilesystemBytes);
        assertThat(TestDisks.mountedHashes(SHARED, source.partition(2), "-o", "ro")).isEqualTo(rootHashes);
    }

    @Test
    void certificatesFromAnotherCaAnotherSessionOrRoleAreRefused() throws Exception {
        try (RunningSource running = RunningSource.start(false, Set.of("t1"))) {
            TestCertificates other = TestCertificates.newCa(resources.tempDirectory("pureboot-other-ca"), "other-ca");
            SessionCredentials issuedByOther = other.issue(new PeerIdentity(SESSION, "target", "t1"), null);
            // The client trusts the session CA (so only the source's check can fail) but presents another CA's cert.
            SessionCredentials foreign = new SessionCredentials(issuedByOther.certificatePem(),
                    issuedByOther.privateKeyPem(), target("t1").caPem());
            assertThatThrownBy(() -> client(foreign, running.uri()).manifest())
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.PEER);
                        assertThat(e.getMessage()).contains("TLS failed");
                    });
            assertRefused(running, ca.issue(new PeerIdentity("another-session", "target", "t1"), null),
                    "the client certificate is for session another-session, not " + SESSION);
            assertRefused(running, ca.issue(new PeerIdentity(SESSION, "source", "t1"), LOOPBACK),
                    "the client certificate is for a source, not a target");
            assertRefused(running, ca.issue(new PeerIdentity(SESSION, "target", "t2"), null),
                    "node t2 is not a target of session " + SESSION);
            assertThat(client(target("t1"), running.uri()).manifest().chunks()).isNotEmpty();
        }
    }

    @Test
    void aSourceWhoseCertificateDoesNotNameItsAddressIsNotTrusted() throws Exception {
        SessionCredentials wrongAddress = ca.issue(new PeerIdentity(SESSION, "source", "src"), "10.9.8.7");
        try (RunningSource running = RunningSource.start(false, Set.of("t1"), wrongAddress)) {
            assertThatThrownBy(() -> client(target("t1"), running.uri()).manifest())
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.PEER);
                        assertThat(e.getMessage()).contains("TLS failed")
                                .contains("No subject alternative names matching IP address 127.0.0.1");
                    });
        }
    }

    @Test
    void anInterruptedTargetResumesFromItsJournal() throws Exception {
        try (RunningSource running = RunningSource.start(false, Set.of("t1"))) {
            Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-resume"), "resume.img",
                    SOURCE_MIB * MIB);
            Path state = resources.tempDirectory("pureboot-state");
            SessionCredentials credentials = target("t1");
            assertThatThrownBy(() -> restore(target, running.uri(), credentials, null, 20, state))
                    .isInstanceOfSatisfying(AgentException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
            assertThat(running.result.isDone()).isFalse();
            TargetRestore.Result resumed = restore(target, running.uri(), credentials, null, 0, state);
            assertThat(resumed.engine().resumedFrom()).isEqualTo(20);
            verifyTarget(target, Map.of(1, 64 * MIB, 2, 200 * MIB, 3, 32 * MIB));
            assertThat(running.result.get(60, TimeUnit.SECONDS).allDone()).isTrue();
        }
    }

    @Test
    void aKilledTargetProcessResumesWhereItsJournalEnds() throws Exception {
        Path directory = resources.tempDirectory("pureboot-killed");
        Disk target = TestDisks.blank(resources, directory, "killed.img", SOURCE_MIB * MIB);
        Path state = directory.resolve("state");
        SessionCredentials credentials = target("t1");
        try (FakeNodeApi api = new FakeNodeApi()) {
            // A slow source, so that the target journals (every 5 s) before it is killed.
            serving(chunks -> new SlowChunks(chunks, Duration.ofMillis(700)), (manifest, port) -> {
                killTargetAfterItsFirstJournalEntry(api, port, target, state, directory);
                TargetRestore.Result resumed = restore(target, RemoteChunkSource.endpoint(LOOPBACK, port), credentials,
                        null, 0, state);
                assertThat(resumed.engine().resumedFrom()).isPositive();
                assertThat(resumed.engine().chunksWritten())
                        .isEqualTo(manifest.chunks().size() - resumed.engine().resumedFrom());
                return resumed;
            });
        }
        verifyTarget(target, Map.of(1, 64 * MIB, 2, 200 * MIB, 3, 32 * MIB));
    }

    @Test
    void twoTargetsPullAtTheSameTime() throws Exception {
        Disk first = TestDisks.blank(resources, resources.tempDirectory("pureboot-first"), "first.img",
                SOURCE_MIB * MIB);
        Disk second = TestDisks.blank(resources, resources.tempDirectory("pureboot-second"), "second.img",
                SOURCE_MIB * MIB);
        Path firstState = resources.tempDirectory("pureboot-state");
        Path secondState = resources.tempDirectory("pureboot-state");
        SessionCredentials firstCredentials = target("t1");
        SessionCredentials secondCredentials = target("t2");
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "direct-target");
            thread.setDaemon(true);
            return thread;
        });
        try {
            serving(chunks -> chunks, (manifest, port) -> {
                URI uri = RemoteChunkSource.endpoint(LOOPBACK, port);
                Future<TargetRestore.Result> one = threads.submit(() -> restore(first, uri, firstCredentials, null, 0,
                        firstState));
                Future<TargetRestore.Result> two = threads.submit(() -> restore(second, uri, secondCredentials, null,
                        0, secondState));
                return List.of(one.get(300, TimeUnit.SECONDS), two.get(300, TimeUnit.SECONDS));
            });
        } finally {
            threads.shutdownNow();
        }
        verifyTarget(first, Map.of(1, 64 * MIB, 2, 200 * MIB, 3, 32 * MIB));
        verifyTarget(second, Map.of(1, 64 * MIB, 2, 200 * MIB, 3, 32 * MIB));
    }

    @Test
    void aChunkThatDoesNotMatchTheSourcesHashIsNeverWritten() throws Exception {
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-lied-to"), "lied.img",
                SOURCE_MIB * MIB);
        SessionCredentials credentials = target("t1");
        int[] victim = new int[1];
        AtomicReference<String> lie = new AtomicReference<>();
        serving(chunks -> new LyingChunks(chunks, victim, lie), (manifest, port) -> {
            ManifestChunk chunk = manifest.chunks().stream()
                    .filter(c -> c.kind() == ChunkKind.DATA && c.partition() == 2).skip(2).findFirst().orElseThrow();
            victim[0] = chunk.index();
            URI uri = RemoteChunkSource.endpoint(LOOPBACK, port);
            assertThatThrownBy(() -> restore(target, uri, credentials, null, 0,
                    resources.tempDirectory("pureboot-state")))
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.IMAGE_CORRUPT);
                        assertThat(e.getMessage()).startsWith("chunk " + chunk.index() + " (source bytes "
                                + chunk.offset() + "-" + (chunk.end() - 1) + ", partition 2, from " + uri
                                + ") failed verification: SHA-256 is ").endsWith(", the source says " + lie.get());
                    });
            assertThat(readAt(target.file(), chunk.offset(), 4096)).containsOnly(0);
            return null;
        });
    }

    /** What a test does while the source disk is served. */
    @FunctionalInterface
    private interface ServingWork<T> {
        T run(Manifest manifest, int port) throws Exception;
    }

    /** Serves the source disk (no shrink) through {@code wrap} to targets t1 and t2 while {@code work} runs. */
    private static <T> T serving(Function<DiskChunks, ChunkSource> wrap, ServingWork<T> work) throws Exception {
        SessionCredentials sourceCredentials = ca.issue(new PeerIdentity(SESSION, "source", "src"), LOOPBACK);
        CommandRunner runner = CommandRunner.system();
        try (Cleanup cleanup = new Cleanup()) {
            return new SourceCapture(BlockDevices.system(), new Filesystems(runner), cleanup).withPreparedDisk(
                    source.blockDevice(), false, false, ChunkLayout.DEFAULT_CHUNK_SIZE, phase -> { }, "uploading",
                    prepared -> {
                        Manifest manifest = prepared.manifest(DirectSource.streamedChunks(prepared.chunks()), 0,
                                Manifest.STREAMED, CODEC.level());
                        try (DiskChunks chunks = DiskChunks.open(source.device(), prepared.chunks(), CODEC);
                                DirectSourceServer server = DirectSourceServer.start(new InetSocketAddress(LOOPBACK, 0),
                                        sourceCredentials.sslContext(), SESSION, Set.of("t1", "t2"), manifest,
                                        wrap.apply(chunks), 8)) {
                            return work.run(manifest, server.port());
                        } catch (Exception e) {
                            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                        }
                    });
        }
    }

    /** Runs clone-target-direct as its own JVM against {@code api}, and SIGKILLs it once its journal moved on. */
    private static void killTargetAfterItsFirstJournalEntry(FakeNodeApi api, int port, Disk target, Path state,
            Path directory) throws IOException, InterruptedException {
        api.answer(NodeApiCall.INSTRUCTIONS, NodeApiAnswers.instructions(UUID.fromString(SESSION),
                AgentMode.CLONE_TARGET_DIRECT, "loop:" + target.file(), null));
        api.answer(NodeApiCall.DIRECT, NodeApiAnswers.direct(UUID.fromString(SESSION), NodeRole.TARGET, LOOPBACK, port,
                List.of()));
        api.respond(NodeApiCall.DIRECT_CERTIFICATE, NodeApiAnswers.certificate(ca, new PeerIdentity(SESSION, "target",
                "t1"), null));
        Path log = directory.resolve("target-process.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                AgentCommand.class.getName(), "clone-target-direct", "--server", api.uri().toString(), "--token", "t1",
                "--cmdline", "/nonexistent", "--state-dir", state.toString(), "--workers", "4")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (journaledChunks(state) == 0) {
                assertThat(process.isAlive()).as("the target process ended early: %s", Files.readString(log))
                        .isTrue();
                assertThat(System.nanoTime() - deadline).as("no journal entry within 90 s").isNegative();
                Thread.sleep(100);
            }
        } finally {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(api.requests("/api/v1/node/complete")).isEmpty();
    }

    /** The highest {@code next} of the restore journal in {@code state}, 0 while there is none. */
    private static int journaledChunks(Path state) throws IOException {
        if (!Files.isDirectory(state)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(state)) {
            int next = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".journal")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("next ")) {
                        next = Math.max(next, Integer.parseInt(line.substring(5).strip()));
                    }
                }
            }
            return next;
        }
    }

    /** Serves each chunk after a delay (the rest as {@link DiskChunks} does). */
    private record SlowChunks(DiskChunks chunks, Duration delay) implements ChunkSource {
        @Override
        public Frame frame(ManifestChunk chunk) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
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

    /** Sends chunk {@code victim[0]} with its hash's first digit changed, and remembers what it sent in {@code lie}. */
    private record LyingChunks(DiskChunks chunks, int[] victim, AtomicReference<String> lie) implements ChunkSource {
        @Override
        public Frame frame(ManifestChunk chunk) {
            Frame frame = chunks.frame(chunk);
            if (chunk.index() != victim[0]) {
                return frame;
            }
            String sha256 = (frame.sha256().charAt(0) == '0' ? "1" : "0") + frame.sha256().substring(1);
            lie.set(sha256);
            return new Frame(frame.bytes(), sha256);
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

    private static byte[] readAt(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        }
    }

    private static void assertRefused(RunningSource running, SessionCredentials credentials, String reason) {
        assertThatThrownBy(() -> client(credentials, running.uri()).manifest())
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.PEER);
                    assertThat(e.getMessage()).endsWith("answered 403: " + reason);
                });
    }

    private static SessionCredentials target(String node) throws IOException {
        return ca.issue(new PeerIdentity(SESSION, "target", node), null);
    }

    private static RemoteChunkSource client(SessionCredentials credentials, URI uri) {
        return new RemoteChunkSource(uri, credentials.sslContext(), Duration.ofSeconds(5));
    }

    private TargetRestore.Result restore(Disk target, URI uri, SessionCredentials credentials, ResizePlan plan,
            int stopAfterChunks) throws IOException {
        return restore(target, uri, credentials, plan, stopAfterChunks, resources.tempDirectory("pureboot-state"));
    }

    private static TargetRestore.Result restore(Disk target, URI uri, SessionCredentials credentials,
            ResizePlan plan, int stopAfterChunks, Path state) {
        CommandRunner runner = CommandRunner.system();
        RestoreEngine.Options engine = new RestoreEngine.Options(CODEC, 4, RestoreEngine.UnusedPolicy.SKIP,
                stopAfterChunks);
        TargetRestore restore = new TargetRestore(BlockDevices.system(), new Filesystems(runner), runner);
        return new DirectTarget(restore).restore(target.blockDevice(), uri, credentials.sslContext(),
                Duration.ofSeconds(10), plan, new TargetRestore.Options(engine, state), phase -> { },
                ProgressListener.NONE);
    }

    /** A direct source serving {@link #source} on a free port of 127.0.0.1 in a background thread. */
    private static final class RunningSource implements AutoCloseable {
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final CompletableFuture<DirectSource.Result> result = new CompletableFuture<>();
        final AtomicBoolean released = new AtomicBoolean();
        final Cleanup cleanup = new Cleanup();
        Thread thread;

        static RunningSource start(boolean shrink, Set<String> targets) throws Exception {
            return start(shrink, targets, ca.issue(new PeerIdentity(SESSION, "source", "src"), LOOPBACK));
        }

        static RunningSource start(boolean shrink, Set<String> targets, SessionCredentials credentials)
                throws Exception {
            RunningSource running = new RunningSource();
            CommandRunner runner = CommandRunner.system();
            DirectSource.Options options = new DirectSource.Options(shrink, ChunkLayout.DEFAULT_CHUNK_SIZE, CODEC, 4,
                    new InetSocketAddress(LOOPBACK, 0), Duration.ofMinutes(5), Duration.ofMillis(200));
            DirectSource.Session session = new DirectSource.Session() {
                @Override
                public void listening(int listeningPort, List<SourceRepair> repairs) {
                    running.port.complete(listeningPort);
                }

                @Override
                public Set<String> expectedTargets() {
                    return targets;
                }

                @Override
                public boolean stillNeeded() {
                    return !running.released.get();
                }
            };
            running.thread = new Thread(() -> {
                try {
                    running.result.complete(new DirectSource(BlockDevices.system(), new Filesystems(runner),
                            running.cleanup).serve(source.blockDevice(), credentials.sslContext(), SESSION, options,
                            session, phase -> { }, ProgressListener.NONE));
                } catch (RuntimeException | Error e) {
                    running.result.completeExceptionally(e);
                    running.port.completeExceptionally(e);
                }
            }, "direct-source");
            running.thread.start();
            running.port.get(120, TimeUnit.SECONDS);
            return running;
        }

        URI uri() {
            return RemoteChunkSource.endpoint(LOOPBACK, port.join());
        }

        @Override
        public void close() throws InterruptedException {
            released.set(true);
            thread.join(120_000);
            cleanup.close();
        }
    }

    private void verifyTarget(Disk target, Map<Integer, Long> sizes) throws IOException {
        assertThat(Sys.run("sgdisk", "-v", target.device().toString()).stdout()).contains("No problems found");
        List<PartitionDevice> partitions = BlockDevices.system().partitions(target.blockDevice());
        assertThat(partitions).hasSize(3);
        for (PartitionDevice partition : partitions) {
            assertThat(partition.sizeBytes()).as("partition %d size", partition.number())
                    .isEqualTo(sizes.get(partition.number()));
        }
        assertThat(Sys.runUnchecked("fsck.fat", "-n", target.partition(1).toString()).exitCode()).isZero();
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", target.partition(2).toString()).exitCode()).isZero();
        assertThat(TestDisks.fatHashes(resources, target.partition(1))).isEqualTo(espHashes);
        assertThat(TestDisks.mountedHashes(resources, target.partition(2), "-o", "ro")).isEqualTo(rootHashes);
        for (String tag : List.of("TYPE", "UUID", "LABEL")) {
            assertThat(TestDisks.blkid(target.partition(3), tag)).isEqualTo(TestDisks.blkid(source.partition(3), tag))
                    .isNotEmpty();
        }
    }

    private static long extSize(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return ExtFilesystem.superblock(channel, device.toString()).orElseThrow().sizeBytes();
        }
    }
}
