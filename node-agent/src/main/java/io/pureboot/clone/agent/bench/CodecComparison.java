package io.pureboot.clone.agent.bench;

import io.pureboot.clone.agent.image.ChunkCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * zstd-jni (levels 1, 3, 6) against aircompressor's pure-Java zstd on 4 MiB chunks of the benchmark disk's own data:
 * ratio, and compression and decompression throughput on all cores.
 */
final class CodecComparison {

    private static final int CHUNK = 4 << 20;
    private static final int CHUNKS = 96;

    private final PrintStream out;

    CodecComparison(PrintStream out) {
        this.out = out;
    }

    /** Compares the codecs on {@code sample}, chunks of {@link #sample}. */
    void run(List<byte[]> sample) throws InterruptedException, java.util.concurrent.ExecutionException {
        long raw = (long) sample.size() * CHUNK;
        int threads = Runtime.getRuntime().availableProcessors();
        out.println();
        out.printf(Locale.ROOT, "codec comparison on %d MiB of the root filesystem's data, %d threads%n",
                raw >> 20, threads);
        out.printf(Locale.ROOT, "%-22s %8s %14s %14s%n", "codec", "ratio", "compress MB/s", "decompress MB/s");
        for (ChunkCodec codec : List.of(ChunkCodec.zstdJni(1), ChunkCodec.zstdJni(2), ChunkCodec.zstdJni(3),
                ChunkCodec.zstdJni(6),
                ChunkCodec.aircompressor())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<byte[]> frames = new ArrayList<>();
                long start = System.nanoTime();
                List<Future<byte[]>> compressed = new ArrayList<>();
                for (byte[] chunk : sample) {
                    compressed.add(pool.submit(() -> {
                        byte[] target = new byte[codec.maxCompressedLength(CHUNK)];
                        int size = codec.compress(chunk, CHUNK, target);
                        return java.util.Arrays.copyOf(target, size);
                    }));
                }
                long compressedBytes = 0;
                for (Future<byte[]> future : compressed) {
                    byte[] frame = future.get();
                    frames.add(frame);
                    compressedBytes += frame.length;
                }
                double compressSeconds = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                List<Future<?>> decompressed = new ArrayList<>();
                for (byte[] frame : frames) {
                    decompressed.add(pool.submit(() -> {
                        codec.decompress(frame, 0, frame.length, new byte[CHUNK], CHUNK);
                        return null;
                    }));
                }
                for (Future<?> future : decompressed) {
                    future.get();
                }
                double decompressSeconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "%-22s %8.3f %14.0f %14.0f%n", codec.description(),
                        raw / (double) compressedBytes, raw / 1e6 / compressSeconds, raw / 1e6 / decompressSeconds);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Chunks from the middle of the filesystem, where the copied files are (skipping all-zero ones). */
    static List<byte[]> sample(Path partition) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(partition, StandardOpenOption.READ)) {
            long position = 256L << 20;
            while (chunks.size() < CHUNKS && position + CHUNK <= channel.size()) {
                byte[] chunk = new byte[CHUNK];
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
                    // fill the chunk
                }
                position += 5L * CHUNK;
                if (!isZero(chunk)) {
                    chunks.add(chunk);
                }
            }
        }
        return chunks;
    }

    private static boolean isZero(byte[] chunk) {
        for (byte b : chunk) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
