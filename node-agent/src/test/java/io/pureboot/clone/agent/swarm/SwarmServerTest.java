package io.pureboot.clone.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.direct.PeerIdentity;
import io.pureboot.clone.agent.direct.RemoteChunkSource;
import io.pureboot.clone.agent.direct.SessionCredentials;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ZeroFrames;
import io.pureboot.clone.agent.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunk server's waiting requests over real mutual TLS on 127.0.0.1: a request for a chunk not held yet is answered
 * as soon as the restore writes it, or 404 at the end of its wait; a chunk offered with the frame it came in is sent
 * in that frame, another is read back and compressed once for all the peers asking for it; every answer says what the
 * server holds.
 */
class SwarmServerTest {

    private static final int CHUNK = 256 << 10;
    private static final int CHUNKS = 8;
    private static final String SESSION = "3b0f7a21-6c55-4c1e-8d2a-0e9b8c7d6f5a";
    private static final String LOOPBACK = "127.0.0.1";
    private static final ChunkCodec CODEC = ChunkCodec.zstdJni(1);

    @TempDir
    Path directory;

    private Path disk;
    private byte[] content;
    private final HeldChunks held = new HeldChunks();
    private SwarmServer server;
    private HttpClient http;
    private PeerClient client;

    @BeforeEach
    void serve() throws IOException {
        TestCertificates ca = TestCertificates.newCa(Files.createDirectories(directory.resolve("ca")), "ca");
        SessionCredentials serving = ca.issue(new PeerIdentity(SESSION, "target", "t1"), null);
        SessionCredentials asking = ca.issue(new PeerIdentity(SESSION, "target", "t2"), null);
        content = new byte[CHUNK * CHUNKS];
        new Random(7).nextBytes(content);
        disk = directory.resolve("t1.img");
        Files.write(disk, new byte[content.length]);
        server = SwarmServer.start(new InetSocketAddress(LOOPBACK, 0), serving.sslContext(), SESSION, held, disk,
                CODEC, 2);
        http = PeerClient.shared(asking.peerSslContext(SESSION), Duration.ofSeconds(5));
        client = new PeerClient(new SwarmPeer("t1", RemoteChunkSource.endpoint(LOOPBACK, server.port())), http,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        http.close();
        server.close();
    }

    @Test
    void aWaitingRequestIsAnsweredAsSoonAsTheChunkIsWritten() throws Exception {
        CompletableFuture<PeerClient.ChunkAnswer> waiting = CompletableFuture.supplyAsync(() -> ask(3,
                Duration.ofSeconds(15)));
        Thread.sleep(1000);
        assertThat(waiting).as("answered before the chunk was written").isNotDone();

        long written = System.nanoTime();
        write(3);
        PeerClient.ChunkAnswer answer = waiting.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThan(Duration.ofSeconds(3));
        assertThat(raw(answer)).isEqualTo(chunk(3));
        assertThat(answer.frame().orElseThrow().claimedSha256()).isEqualTo(ZeroFrames.sha256(chunk(3), CHUNK));
        assertThat(answer.progress()).isEqualTo(new HeldChunks.Progress(1, 3));
    }

    @Test
    void aWaitEndsWithNotHeldAtItsBound() {
        write(0);
        long asked = System.nanoTime();
        PeerClient.ChunkAnswer answer = ask(5, Duration.ofMillis(800));
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        assertThat(answer.frame()).isEmpty();
        assertThat(took).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
        assertThat(answer.progress()).isEqualTo(new HeldChunks.Progress(1, 0));
        assertThat(server.chunksServed()).isZero();
    }

    @Test
    void aRequestWithoutWaitIsAnsweredAtOnce() {
        // the first request pays for the connection and its TLS handshake (seconds in a cold JVM on a busy machine)
        ask(1, Duration.ZERO);
        long asked = System.nanoTime();
        PeerClient.ChunkAnswer answer = ask(2, Duration.ZERO);

        assertThat(answer.frame()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
        assertThat(answer.progress()).isEqualTo(new HeldChunks.Progress(0, -1));
    }

    @Test
    void aChunkAskedByManyPeersIsReadBackAndCompressedOnce() throws Exception {
        List<CompletableFuture<PeerClient.ChunkAnswer>> waiting = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            waiting.add(CompletableFuture.supplyAsync(() -> ask(6, Duration.ofSeconds(15))));
        }
        Thread.sleep(1000);
        write(6);
        for (CompletableFuture<PeerClient.ChunkAnswer> answer : waiting) {
            assertThat(raw(answer.get(10, TimeUnit.SECONDS))).isEqualTo(chunk(6));
        }
        assertThat(server.chunksServed()).isEqualTo(12);
        assertThat(server.framesMade()).isEqualTo(1);
    }

    @Test
    void aChunkOfferedWithItsFrameIsSentInItWithoutReadingTheDisk() {
        byte[] chunk = chunk(4);
        byte[] frame = new byte[ChunkCodec.zstdJni(9).maxCompressedLength(CHUNK)];
        frame = Arrays.copyOf(frame, ChunkCodec.zstdJni(9).compress(chunk, CHUNK, frame));
        // the disk still holds zeros there: read back, the chunk would fail its hash and be forgotten
        held.add(4, new HeldChunks.Held(ZeroFrames.sha256(chunk, CHUNK), 4L * CHUNK, CHUNK), frame);

        PeerClient.ChunkAnswer answer = ask(4, Duration.ZERO);

        assertThat(answer.frame().orElseThrow().bytes()).isEqualTo(frame);
        assertThat(raw(answer)).isEqualTo(chunk);
        assertThat(server.framesMade()).isZero();
        assertThat(held.get(4)).isPresent();
    }

    @Test
    void aChunkWhoseBytesChangedOnTheDiskIsForgottenNotServed() throws Exception {
        write(1);
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), CHUNK + 10L);
        }
        assertThat(ask(1, Duration.ZERO).frame()).isEmpty();
        assertThat(held.get(1)).isEmpty();
        assertThat(held.progress()).isEqualTo(new HeldChunks.Progress(0, -1));
    }

    private PeerClient.ChunkAnswer ask(int index, Duration wait) {
        try {
            return client.frame(index, wait);
        } catch (PeerClient.PeerFailure e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the restore does: the chunk's bytes on the disk, then offered. */
    private void write(int index) {
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(chunk(index)), (long) index * CHUNK);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        held.add(index, new HeldChunks.Held(ZeroFrames.sha256(chunk(index), CHUNK), (long) index * CHUNK, CHUNK));
    }

    private byte[] chunk(int index) {
        return Arrays.copyOfRange(content, index * CHUNK, (index + 1) * CHUNK);
    }

    private static byte[] raw(PeerClient.ChunkAnswer answer) {
        byte[] frame = answer.frame().orElseThrow().bytes();
        byte[] raw = new byte[CHUNK];
        CODEC.decompress(frame, 0, frame.length, raw, CHUNK);
        return raw;
    }
}
