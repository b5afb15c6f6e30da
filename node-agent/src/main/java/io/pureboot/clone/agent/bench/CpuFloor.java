package io.pureboot.clone.agent.bench;

import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ZeroFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the agent's CPU work alone costs on this machine, the other half of its physical limit: every byte a capture
 * reads is hashed (SHA-256) and compressed, every data byte a restore writes is decompressed and hashed. Measured on
 * the benchmark disk's own data with all cores, as the agent's workers run; a disk faster than this is waiting for the
 * CPU, whatever the agent does.
 *
 * @param codec the codec measured
 * @param captureBytesPerSecond raw bytes hashed and compressed a second
 * @param restoreBytesPerSecond raw bytes decompressed and hashed a second
 */
record CpuFloor(ChunkCodec codec, double captureBytesPerSecond, double restoreBytesPerSecond) {

    /** Measures {@code codec} on {@code sample} (equal-sized chunks), the better of two passes. */
    static CpuFloor measure(ChunkCodec codec, List<byte[]> sample) throws InterruptedException, ExecutionException {
        int threads = Runtime.getRuntime().availableProcessors();
        long raw = sample.stream().mapToLong(chunk -> chunk.length).sum();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double capture = 0;
            double restore = 0;
            for (int pass = 0; pass < 2; pass++) {
                long start = System.nanoTime();
                List<Future<byte[]>> compressed = new ArrayList<>();
                for (byte[] chunk : sample) {
                    compressed.add(pool.submit(() -> {
                        ZeroFrames.sha256(chunk, chunk.length);
                        byte[] frame = new byte[codec.maxCompressedLength(chunk.length)];
                        return Arrays.copyOf(frame, codec.compress(chunk, chunk.length, frame));
                    }));
                }
                List<byte[]> frames = new ArrayList<>();
                for (Future<byte[]> frame : compressed) {
                    frames.add(frame.get());
                }
                capture = Math.max(capture, raw / seconds(start));
                start = System.nanoTime();
                List<Future<?>> decompressed = new ArrayList<>();
                int length = sample.get(0).length;
                for (byte[] frame : frames) {
                    decompressed.add(pool.submit(() -> {
                        byte[] chunk = new byte[length];
                        codec.decompress(frame, 0, frame.length, chunk, length);
                        return ZeroFrames.sha256(chunk, length);
                    }));
                }
                for (Future<?> done : decompressed) {
                    done.get();
                }
                restore = Math.max(restore, raw / seconds(start));
            }
            return new CpuFloor(codec, capture, restore);
        } finally {
            pool.shutdownNow();
        }
    }

    double captureSeconds(long bytes) {
        return bytes / captureBytesPerSecond;
    }

    double restoreSeconds(long bytes) {
        return bytes / restoreBytesPerSecond;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
