package io.pureboot.clone.agent.clone;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.direct.DirectSourceServer;
import io.pureboot.clone.agent.direct.DiskChunks;
import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureChunk;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkKind;
import io.pureboot.clone.agent.image.ChunkSpec;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.image.ZeroFrames;
import io.pureboot.clone.events.session.SourceRepair;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * Direct mode on the source: the disk is prepared as for a capture (shrunk first with shrink_source), its streamed
 * manifest computed from the block maps without reading data, and then served over mutual TLS until every target
 * said it is done, the clone-service says the source is no longer needed, or the deadline passes; shrunk filesystems
 * are grown back on every path (also from the cleanup stack on a signal).
 */
public final class DirectSource {

    /**
     * @param shrink shrink filesystems first (resize mode shrink_source)
     * @param chunkSize the chunk size
     * @param codec the frame codec
     * @param threads requests served at once
     * @param bind address and port to listen on
     * @param timeout how long to wait for the targets before giving up
     * @param checkEvery how often to report progress and ask {@link Session#stillNeeded()}
     */
    public record Options(boolean shrink, int chunkSize, ChunkCodec codec, int threads, InetSocketAddress bind,
            Duration timeout, Duration checkEvery, boolean repairSource) {

        public Options(boolean shrink, int chunkSize, ChunkCodec codec, int threads, InetSocketAddress bind,
                Duration timeout, Duration checkEvery) {
            this(shrink, chunkSize, codec, threads, bind, timeout, checkEvery, false);
        }

        public Options {
            requireNonNull(codec, "codec is null");
            requireNonNull(bind, "bind is null");
            requireNonNull(timeout, "timeout is null");
            requireNonNull(checkEvery, "checkEvery is null");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1: " + threads);
            }
        }
    }

    /** The source's side of the session with the clone-service. */
    public interface Session {
        /**
         * This source listens on {@code port}: the targets may be started. {@code repairs}: what was repaired on the
         * source before it was served (repair_source), for the audit; empty when nothing was.
         */
        void listening(int port, List<SourceRepair> repairs);

        /** Node ids of the targets the source waits for (and the only ones it serves). */
        Set<String> expectedTargets();

        /** False once the session no longer needs the source (its targets finished or failed, or it was cancelled). */
        boolean stillNeeded();
    }

    /**
     * @param manifest the manifest served
     * @param targetsDone the targets that said they were done
     * @param allDone whether every expected target was done (false: the clone-service released the source)
     */
    public record Result(Manifest manifest, Set<String> targetsDone, boolean allDone) {
    }

    private final SourceCapture capture;

    public DirectSource(BlockDevices devices, Filesystems filesystems, Cleanup cleanup) {
        this.capture = new SourceCapture(devices, filesystems, cleanup);
    }

    public Result serve(BlockDevice disk, SSLContext tls, String sessionId, Options options, Session session,
            Consumer<String> phases, ProgressListener progress) {
        return capture.withPreparedDisk(disk, options.shrink(), options.repairSource(), options.chunkSize(), phases,
                "uploading", prepared -> {
            Manifest manifest = prepared.manifest(streamedChunks(prepared.chunks()), 0, Manifest.STREAMED,
                    options.codec().level());
            manifest.validate();
            Set<String> expected = Set.copyOf(session.expectedTargets());
            try (DiskChunks chunks = DiskChunks.open(disk.path(), prepared.chunks(), options.codec());
                    DirectSourceServer server = DirectSourceServer.start(options.bind(), tls, sessionId, expected,
                            manifest, chunks, options.threads())) {
                session.listening(server.port(), prepared.repairs());
                boolean allDone = server.awaitTargets(expected, options.timeout(), options.checkEvery(), () -> {
                    progress.progress(server.bytesDone(), disk.sizeBytes());
                    return session.stillNeeded();
                });
                progress.progress(server.bytesDone(), disk.sizeBytes());
                return new Result(manifest, server.doneTargets(), allDone);
            }
        });
    }

    /** The chunk table a target needs before any data is read: free chunks are unused, the others data. */
    public static List<ManifestChunk> streamedChunks(List<CaptureChunk> chunks) {
        Map<Integer, String> zeroHashes = new HashMap<>();
        List<ManifestChunk> table = new ArrayList<>(chunks.size());
        for (CaptureChunk chunk : chunks) {
            ChunkSpec spec = chunk.spec();
            boolean unused = chunk.mode() == CaptureChunk.Mode.SKIP;
            String sha256 = unused ? zeroHashes.computeIfAbsent(spec.length(),
                    length -> ZeroFrames.sha256(new byte[length], length)) : null;
            table.add(new ManifestChunk(spec.index(), spec.offset(), spec.length(), spec.partition(),
                    spec.relativeOffset(), 0, 0, sha256, unused ? ChunkKind.UNUSED : ChunkKind.DATA));
        }
        return table;
    }
}
