package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.DeviceIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Capture pipeline: one reader thread reads only what holds data (large positional reads of the used ranges), N
 * workers detect zeros, hash and compress chunks in parallel, and the calling thread writes the frames in order and
 * journals them. Reading, compressing and writing overlap; memory is bounded by a pool of chunk buffers that the
 * reader takes in chunk order (so the writer's next chunk always has a buffer, and the pipeline cannot deadlock).
 */
public final class CaptureEngine {

    /**
     * Tuning and test hooks.
     *
     * @param codec the frame codec
     * @param workers compression threads
     * @param readers concurrent reads: used blocks are scattered over the disk, and several requests in flight keep
     *     a disk (or a virtual one) busy where one synchronous reader waits for each seek
     * @param mergeGap used ranges closer than this are read with one request (the gap is zeroed afterwards)
     * @param stopAfterChunks test hook: stop as if interrupted after this many chunks of this run, or 0 for never
     */
    public record Options(ChunkCodec codec, int workers, int readers, int mergeGap, int stopAfterChunks) {

        public Options {
            requireNonNull(codec, "codec is null");
            if (workers < 1 || readers < 1) {
                throw new IllegalArgumentException("workers and readers must be >= 1: " + workers + ", " + readers);
            }
        }

        public static Options defaults(ChunkCodec codec) {
            return new Options(codec, Runtime.getRuntime().availableProcessors(), DEFAULT_READERS, DEFAULT_MERGE_GAP,
                    0);
        }

        public Options stoppingAfter(int chunks) {
            return new Options(codec, workers, readers, mergeGap, chunks);
        }
    }

    public static final int DEFAULT_READERS = 4;
    public static final int DEFAULT_MERGE_GAP = 1 << 20;

    /**
     * The outcome of a capture.
     *
     * @param chunks the complete chunk table
     * @param imageBytes size of disk.img.zst
     * @param resumedChunks chunks taken over from an interrupted run
     * @param bytesRead bytes read from the disk in this run
     */
    public record Result(List<ManifestChunk> chunks, long imageBytes, int resumedChunks, long bytesRead) {
        public Result {
            chunks = List.copyOf(chunks);
        }
    }

    private record Encoded(CaptureChunk chunk, byte[] frame, String sha256, ChunkKind kind) {
    }

    private static final long FLUSH_INTERVAL_NANOS = 2_000_000_000L;
    private static final int FLUSH_INTERVAL_CHUNKS = 64;

    private final Options options;
    private final ZeroFrames zeroFrames;

    public CaptureEngine(Options options) {
        this.options = requireNonNull(options, "options is null");
        this.zeroFrames = new ZeroFrames(options.codec());
    }

    /** A fingerprint of what this capture will produce, for the journal: same plan and codec, same frames. */
    public String fingerprint(long diskSize, List<CaptureChunk> chunks) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((options.codec().description() + "|" + diskSize + "|").getBytes(StandardCharsets.UTF_8));
            ByteBuffer buffer = ByteBuffer.allocate(64);
            for (CaptureChunk chunk : chunks) {
                buffer.clear();
                buffer.putLong(chunk.spec().offset()).putInt(chunk.spec().length()).putInt(chunk.spec().partition())
                        .putInt(chunk.mode().ordinal()).putInt(chunk.rangeCount());
                digest.update(buffer.flip());
                for (int i = 0; i < chunk.rangeCount(); i++) {
                    buffer.clear();
                    buffer.putInt(chunk.rangeStarts()[i]).putInt(chunk.rangeEnds()[i]);
                    digest.update(buffer.flip());
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Captures {@code chunks} of {@code source} into {@code directory}/disk.img.zst, resuming after the last chunk an
     * interrupted run with the same plan journaled.
     */
    public Result capture(FileChannel source, String sourceName, long diskSize, List<CaptureChunk> chunks,
            Path directory, ProgressListener progress) {
        String fingerprint = fingerprint(diskSize, chunks);
        Path imageFile = directory.resolve(Manifest.IMAGE_FILE_NAME);
        try (CaptureJournal journal = CaptureJournal.open(directory, fingerprint);
                FileChannel image = FileChannel.open(imageFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            List<ManifestChunk> table = new ArrayList<>(journal.done());
            long imagePosition = journal.doneImageBytes();
            // Frames written after the last journaled chunk may be torn: cut them off and write them again.
            image.truncate(imagePosition);
            int resumed = table.size();
            long bytesRead = run(source, sourceName, diskSize, chunks, resumed, image, imageFile, journal, table,
                    imagePosition, progress);
            journal.flush();
            ManifestChunk last = table.get(table.size() - 1);
            long imageBytes = last.compressedOffset() + last.compressedSize();
            journal.delete();
            return new Result(table, imageBytes, resumed, bytesRead);
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot write " + imageFile + ": " + e.getMessage(), e);
        }
    }

    private long run(FileChannel source, String sourceName, long diskSize, List<CaptureChunk> chunks, int start,
            FileChannel image, Path imageFile, CaptureJournal journal, List<ManifestChunk> table, long imagePosition,
            ProgressListener progress) throws IOException {
        int bufferCount = options.workers() + options.readers() + 2;
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(bufferCount);
        int chunkSize = chunks.stream().mapToInt(c -> c.spec().length()).max().orElse(0);
        for (int i = 0; i < bufferCount && start < chunks.size(); i++) {
            buffers.add(new byte[chunkSize]);
        }
        BlockingQueue<CompletableFuture<Encoded>> ordered = new ArrayBlockingQueue<>(2 * options.workers() + 4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong bytesRead = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(options.workers(), daemon("capture-worker"));
        ExecutorService readers = Executors.newFixedThreadPool(options.readers(), daemon("capture-read"));
        Thread reader = daemon("capture-reader").newThread(() -> readLoop(source, sourceName, chunks, start, buffers,
                ordered, readers, workers, stop, bytesRead));
        reader.start();
        long position = imagePosition;
        long lastFlush = System.nanoTime();
        int sinceFlush = 0;
        int written = 0;
        try {
            for (int index = start; index < chunks.size(); index++) {
                Encoded encoded = takeNext(ordered);
                ByteBuffer frame = ByteBuffer.wrap(encoded.frame());
                while (frame.hasRemaining()) {
                    image.write(frame, position + frame.position());
                }
                ChunkSpec spec = encoded.chunk().spec();
                ManifestChunk record = new ManifestChunk(spec.index(), spec.offset(), spec.length(), spec.partition(),
                        spec.relativeOffset(), position, encoded.frame().length, encoded.sha256(), encoded.kind());
                position += encoded.frame().length;
                table.add(record);
                journal.append(record);
                written++;
                sinceFlush++;
                progress.progress(spec.end(), diskSize);
                if (sinceFlush >= FLUSH_INTERVAL_CHUNKS || System.nanoTime() - lastFlush > FLUSH_INTERVAL_NANOS) {
                    image.force(false);
                    journal.flush();
                    sinceFlush = 0;
                    lastFlush = System.nanoTime();
                }
                if (options.stopAfterChunks() > 0 && written >= options.stopAfterChunks() && index + 1 < chunks.size()) {
                    throw new AgentException(FailureKind.INTERRUPTED, "capture stopped after " + written
                            + " chunks (test hook); run again to resume at chunk " + (index + 1));
                }
            }
            image.force(true);
            return bytesRead.get();
        } finally {
            // Whatever happened, what was written so far is durable and journaled, so a rerun resumes after it.
            stop.set(true);
            reader.interrupt();
            ordered.forEach(future -> future.cancel(false));
            readers.shutdownNow();
            workers.shutdownNow();
            try {
                image.force(false);
                journal.flush();
            } catch (IOException | AgentException e) {
                // the original failure matters more; the journal then simply ends earlier
            }
            joinQuietly(reader);
        }
    }

    private void readLoop(FileChannel source, String sourceName, List<CaptureChunk> chunks, int start,
            BlockingQueue<byte[]> buffers, BlockingQueue<CompletableFuture<Encoded>> ordered, ExecutorService readers,
            ExecutorService workers, AtomicBoolean stop, AtomicLong bytesRead) {
        try {
            for (int index = start; index < chunks.size() && !stop.get(); index++) {
                CaptureChunk chunk = chunks.get(index);
                if (chunk.mode() == CaptureChunk.Mode.SKIP) {
                    ZeroFrames.Frame zero = zeroFrames.frame(chunk.spec().length());
                    ordered.put(CompletableFuture.completedFuture(new Encoded(chunk, zero.compressed(), zero.sha256(),
                            ChunkKind.UNUSED)));
                    continue;
                }
                // Buffers are taken here, in chunk order, so the writer's next chunk always has one.
                byte[] buffer = buffers.take();
                CompletableFuture<Encoded> future = CompletableFuture.supplyAsync(() -> {
                    try {
                        bytesRead.addAndGet(read(source, sourceName, chunk, buffer));
                        return buffer;
                    } catch (RuntimeException e) {
                        buffers.offer(buffer);
                        throw e;
                    }
                }, readers).thenApplyAsync(read -> encode(chunk, read, buffers), workers);
                ordered.put(future);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // The writer waits for futures in order: hand it the failure instead of leaving it waiting.
            ordered.offer(CompletableFuture.failedFuture(e));
        }
    }

    private long read(FileChannel source, String sourceName, CaptureChunk chunk, byte[] buffer) {
        return read(source, sourceName, chunk, buffer, options.mergeGap());
    }

    /**
     * Reads what {@code chunk} says holds data into {@code buffer} (the rest zeroed), merging ranges closer than
     * {@code mergeGap} into one request; returns the bytes read from the disk.
     */
    public static long read(FileChannel source, String sourceName, CaptureChunk chunk, byte[] buffer, int mergeGap) {
        int length = chunk.spec().length();
        long base = chunk.spec().offset();
        int[] starts = chunk.rangeStarts();
        int[] ends = chunk.rangeEnds();
        if (chunk.mode() == CaptureChunk.Mode.RANGES) {
            Arrays.fill(buffer, 0, length, (byte) 0);
        }
        long read = 0;
        int i = 0;
        while (i < starts.length) {
            // One request for ranges separated by small gaps; the gaps are zeroed again below.
            int runStart = starts[i];
            int runEnd = ends[i];
            int j = i + 1;
            while (j < starts.length && starts[j] - runEnd < mergeGap) {
                runEnd = ends[j];
                j++;
            }
            DeviceIo.readFully(source, sourceName, base + runStart, buffer, runStart, runEnd - runStart);
            read += runEnd - runStart;
            for (int k = i; k + 1 < j; k++) {
                Arrays.fill(buffer, ends[k], starts[k + 1], (byte) 0);
            }
            i = j;
        }
        return read;
    }

    private Encoded encode(CaptureChunk chunk, byte[] buffer, BlockingQueue<byte[]> buffers) {
        int length = chunk.spec().length();
        try {
            if (isZero(buffer, length)) {
                ZeroFrames.Frame zero = zeroFrames.frame(length);
                return new Encoded(chunk, zero.compressed(), zero.sha256(), ChunkKind.ZERO);
            }
            String sha256 = ZeroFrames.sha256(buffer, length);
            byte[] scratch = SCRATCH.get();
            int needed = options.codec().maxCompressedLength(length);
            if (scratch == null || scratch.length < needed) {
                scratch = new byte[needed];
                SCRATCH.set(scratch);
            }
            int size = options.codec().compress(buffer, length, scratch);
            return new Encoded(chunk, Arrays.copyOf(scratch, size), sha256, ChunkKind.DATA);
        } finally {
            buffers.offer(buffer);
        }
    }

    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    private static final byte[] ZEROS = new byte[ChunkLayout.DEFAULT_CHUNK_SIZE];

    public static boolean isZero(byte[] buffer, int length) {
        for (int offset = 0; offset < length; offset += ZEROS.length) {
            int part = Math.min(ZEROS.length, length - offset);
            if (Arrays.mismatch(buffer, offset, offset + part, ZEROS, 0, part) >= 0) {
                return false;
            }
        }
        return true;
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

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static ThreadFactory daemon(String name) {
        AtomicLong counter = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
