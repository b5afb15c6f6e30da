package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Restore pipeline: one thread hands the chunks out in order, N workers fetch each frame from the {@link ChunkSource}
 * (the staged disk.img.zst or a direct-mode source), decompress it, check the chunk's SHA-256 and write it at its
 * placed offset (positional writes); the calling thread takes the results in chunk order and journals progress. A
 * chunk that fails verification is never written: the restore stops with an error naming the chunk. Chunks the
 * filesystem said were free are skipped (or zeroed, if asked).
 */
public final class RestoreEngine {

    /** What to do with chunks the source's filesystem reported free. */
    public enum UnusedPolicy {
        /** Leave the target's bytes as they are (the filesystem does not read free blocks). */
        SKIP,
        /** Write zeros (for targets that must not keep old data). */
        ZERO
    }

    /**
     * Tuning and test hooks.
     *
     * @param codec the frame codec
     * @param workers decompression threads
     * @param unusedPolicy what to do with unused chunks
     * @param stopAfterChunks test hook: stop as if interrupted after this many chunks of this run, or 0 for never
     */
    public record Options(ChunkCodec codec, int workers, UnusedPolicy unusedPolicy, int stopAfterChunks) {
        public Options {
            requireNonNull(codec, "codec is null");
            requireNonNull(unusedPolicy, "unusedPolicy is null");
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1: " + workers);
            }
        }

        public static Options defaults(ChunkCodec codec) {
            return new Options(codec, Runtime.getRuntime().availableProcessors(), UnusedPolicy.SKIP, 0);
        }

        public Options stoppingAfter(int chunks) {
            return new Options(codec, workers, unusedPolicy, chunks);
        }

        public Options withUnusedPolicy(UnusedPolicy policy) {
            return new Options(codec, workers, policy, stopAfterChunks);
        }
    }

    /**
     * The outcome of a restore.
     *
     * @param resumedFrom the chunk this run started at (0 unless resumed)
     * @param chunksWritten chunks written by this run
     * @param bytesWritten bytes written by this run
     */
    public record Result(int resumedFrom, int chunksWritten, long bytesWritten) {
    }

    /**
     * A durable point (fsync, then a journal line, made in the background by {@link DurablePoints}) every 5 s or every
     * 64 chunks (256 MiB at the default chunk size), whichever comes first: a restart redoes about that much, however
     * fast or slow the disk.
     */
    private static final long FLUSH_INTERVAL_NANOS = 5_000_000_000L;
    private static final int FLUSH_INTERVAL_CHUNKS = 64;

    private final Options options;

    public RestoreEngine(Options options) {
        this.options = requireNonNull(options, "options is null");
    }

    /** Restores the staged image in {@code directory} onto {@code target} according to {@code layout}. */
    public Result restore(Path directory, RestoreLayout layout, TargetDisk target, RestoreJournal journal,
            ProgressListener progress) {
        try (StagedChunkSource source = StagedChunkSource.open(directory, layout.manifest())) {
            return restore(source, layout, target, journal, progress);
        }
    }

    /** Restores the chunks {@code source} serves onto {@code target} according to {@code layout}. */
    public Result restore(ChunkSource source, RestoreLayout layout, TargetDisk target, RestoreJournal journal,
            ProgressListener progress) {
        Manifest manifest = layout.manifest();
        checkZeroHashes(manifest);
        return run(manifest, layout, source, target, journal, progress);
    }

    private Result run(Manifest manifest, RestoreLayout layout, ChunkSource source, TargetDisk target,
            RestoreJournal journal, ProgressListener progress) {
        int start = journal.next();
        int chunkCount = manifest.chunks().size();
        int bufferCount = 2 * options.workers() + 2;
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(bufferCount);
        for (int i = 0; i < bufferCount; i++) {
            buffers.add(new byte[manifest.chunkSize()]);
        }
        BlockingQueue<CompletableFuture<Long>> ordered = new ArrayBlockingQueue<>(2 * options.workers() + 4);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(options.workers(), CaptureEngine.daemon("restore-worker"));
        Sink sink = new Sink(target, new byte[manifest.chunkSize()]);
        Thread reader = CaptureEngine.daemon("restore-reader").newThread(() -> readLoop(manifest, layout, source, start,
                buffers, ordered, workers, stop, sink));
        reader.start();
        long bytesWritten = 0;
        int written = 0;
        int lastPoint = start;
        long lastPointAt = System.nanoTime();
        long diskSize = manifest.disk().sizeBytes();
        try (DurablePoints durable = new DurablePoints(target, journal)) {
            for (int index = start; index < chunkCount; index++) {
                bytesWritten += takeNext(ordered);
                written++;
                progress.progress(manifest.chunks().get(index).end(), diskSize);
                // Chunks are written by the workers, possibly out of order, but every chunk before index + 1 is
                // complete here: after an fsync started now, the journal may say so.
                boolean due = index + 1 - lastPoint >= FLUSH_INTERVAL_CHUNKS
                        || System.nanoTime() - lastPointAt > FLUSH_INTERVAL_NANOS;
                if (due && durable.request(index + 1)) {
                    lastPoint = index + 1;
                    lastPointAt = System.nanoTime();
                }
                if (options.stopAfterChunks() > 0 && written >= options.stopAfterChunks() && index + 1 < chunkCount) {
                    durable.now(index + 1, false);
                    throw new AgentException(FailureKind.INTERRUPTED, "restore stopped after " + written
                            + " chunks (test hook); run again to resume at chunk " + (index + 1));
                }
            }
            durable.now(chunkCount, true);
            return new Result(start, written, bytesWritten);
        } finally {
            // Workers are not interrupted: an interrupt during a FileChannel write would close the target's channel.
            // Chunks not yet started are cancelled instead (a cancelled async task never runs).
            stop.set(true);
            reader.interrupt();
            try {
                reader.join(10_000);
                ordered.forEach(future -> future.cancel(false));
                workers.shutdown();
                workers.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Where verified chunks are written: positional writes (direct I/O where aligned), safe from several workers. */
    private record Sink(TargetDisk target, byte[] zeros) {
        long write(RestoreLayout.Placement placement, byte[] source) {
            target.write(placement.targetOffset(), source, placement.length());
            return placement.length();
        }
    }

    private void readLoop(Manifest manifest, RestoreLayout layout, ChunkSource source, int start,
            BlockingQueue<byte[]> buffers, BlockingQueue<CompletableFuture<Long>> ordered, ExecutorService workers,
            AtomicBoolean stop, Sink sink) {
        try {
            for (int index = start; index < manifest.chunks().size() && !stop.get(); index++) {
                ManifestChunk chunk = manifest.chunks().get(index);
                RestoreLayout.Placement placement = layout.placement(chunk);
                boolean zeros = chunk.kind() == ChunkKind.ZERO
                        || chunk.kind() == ChunkKind.UNUSED && options.unusedPolicy() == UnusedPolicy.ZERO;
                if (placement == null || chunk.kind() != ChunkKind.DATA && !zeros) {
                    ordered.put(CompletableFuture.completedFuture(0L));
                    continue;
                }
                if (chunk.kind() != ChunkKind.DATA) {
                    ordered.put(CompletableFuture.supplyAsync(() -> sink.write(placement, sink.zeros()), workers));
                    continue;
                }
                // Buffers are taken here, in chunk order, so the writer's next chunk always has one; the frame is
                // fetched by the worker, so that a remote source serves several chunks at once.
                byte[] buffer = buffers.take();
                ordered.put(CompletableFuture.supplyAsync(() -> decodeAndWrite(chunk, placement, source, buffer,
                        buffers, sink), workers));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            ordered.offer(CompletableFuture.failedFuture(e));
        }
    }

    /** Decompresses, verifies and only then writes one chunk; a chunk that fails verification is never written. */
    private long decodeAndWrite(ManifestChunk chunk, RestoreLayout.Placement placement, ChunkSource source,
            byte[] buffer, BlockingQueue<byte[]> buffers, Sink sink) {
        try {
            ChunkSource.Frame frame = source.frame(chunk);
            try {
                options.codec().decompress(frame.bytes(), 0, frame.bytes().length, buffer, chunk.length());
            } catch (ChunkCodec.CorruptFrameException | IllegalStateException e) {
                throw corrupt(chunk, source, "its frame does not decompress (" + e.getMessage() + ")");
            }
            String actual = sha256(buffer, chunk.length());
            if (chunk.sha256() != null && !chunk.sha256().equals(frame.sha256())) {
                throw corrupt(chunk, source, "the source sent SHA-256 " + frame.sha256() + ", the manifest says "
                        + chunk.sha256());
            }
            if (!actual.equals(frame.sha256())) {
                throw corrupt(chunk, source, "SHA-256 is " + actual + ", " + (chunk.sha256() != null
                        ? "the manifest says " : "the source says ") + frame.sha256());
            }
            if (placement.blankTo() > placement.blankFrom()) {
                Arrays.fill(buffer, placement.blankFrom(), placement.blankTo(), (byte) 0);
            }
            long written = sink.write(placement, buffer);
            if (placement.length() == chunk.length() && placement.blankTo() <= placement.blankFrom()) {
                source.written(chunk, frame, placement.targetOffset());
            }
            return written;
        } finally {
            buffers.offer(buffer);
        }
    }

    /** Zero and unused chunks are written from memory, so their manifest hashes must be the hash of zeros. */
    private static void checkZeroHashes(Manifest manifest) {
        Map<Integer, String> zeroHashes = new HashMap<>();
        for (ManifestChunk chunk : manifest.chunks()) {
            if (chunk.kind() == ChunkKind.DATA) {
                continue;
            }
            String expected = zeroHashes.computeIfAbsent(chunk.length(), length -> sha256(new byte[length], length));
            if (!expected.equals(chunk.sha256())) {
                throw corrupt(chunk, null, "it is marked " + chunk.kind().name().toLowerCase(Locale.ROOT)
                        + " but its SHA-256 is not that of zeros");
            }
        }
    }

    private static AgentException corrupt(ManifestChunk chunk, ChunkSource source, String reason) {
        String where = source != null ? source.describe(chunk)
                : "image bytes " + chunk.compressedOffset() + "+" + chunk.compressedSize();
        return new AgentException(FailureKind.IMAGE_CORRUPT, "chunk " + chunk.index() + " (source bytes "
                + chunk.offset() + "-" + (chunk.end() - 1) + ", partition " + chunk.partition() + ", " + where
                + ") failed verification: " + reason);
    }

    static String sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static <T> T takeNext(BlockingQueue<CompletableFuture<T>> ordered) {
        try {
            return ordered.take().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(FailureKind.INTERRUPTED, "interrupted while waiting for a chunk", e);
        }
    }
}
