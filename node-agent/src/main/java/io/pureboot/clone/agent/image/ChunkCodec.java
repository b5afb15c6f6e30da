package io.pureboot.clone.agent.image;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * Compresses one chunk into one standalone zstd frame and back. Implementations are thread-safe. zstd-jni (native
 * libzstd) is the default; aircompressor (pure Java) exists for the benchmark that chose between them.
 */
public interface ChunkCodec {

    /** The largest frame {@code length} raw bytes can become. */
    int maxCompressedLength(int length);

    /** Compresses {@code source[0, length)} into {@code target}, returning the frame length. */
    int compress(byte[] source, int length, byte[] target);

    /** Decompresses a frame into exactly {@code length} bytes of {@code target}; throws when the frame is corrupt. */
    void decompress(byte[] source, int sourceOffset, int sourceLength, byte[] target, int length);

    String description();

    /** The zstd level the frames are written with (recorded in the manifest). */
    int level();

    static ChunkCodec zstdJni(int level) {
        return new ZstdJni(level);
    }

    static ChunkCodec aircompressor() {
        return new Aircompressor();
    }

    /** Thrown when a frame does not decompress to the expected length. */
    final class CorruptFrameException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CorruptFrameException(String message) {
            super(message);
        }
    }

    /** libzstd through JNI; a fresh context per call keeps it thread-safe with no native memory to release. */
    record ZstdJni(int level) implements ChunkCodec {

        @Override
        public int maxCompressedLength(int length) {
            return (int) Zstd.compressBound(length);
        }

        @Override
        public int compress(byte[] source, int length, byte[] target) {
            long size = Zstd.compressByteArray(target, 0, target.length, source, 0, length, level);
            if (Zstd.isError(size)) {
                throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(size));
            }
            return (int) size;
        }

        @Override
        public void decompress(byte[] source, int sourceOffset, int sourceLength, byte[] target, int length) {
            long size;
            try {
                size = Zstd.decompressByteArray(target, 0, length, source, sourceOffset, sourceLength);
            } catch (ZstdException e) {
                throw new CorruptFrameException("zstd: " + e.getMessage());
            }
            if (Zstd.isError(size)) {
                throw new CorruptFrameException("zstd: " + Zstd.getErrorName(size));
            }
            if (size != length) {
                throw new CorruptFrameException("frame decompressed to " + size + " bytes, expected " + length);
            }
        }

        @Override
        public String description() {
            return "zstd-jni level " + level;
        }
    }

    /** aircompressor's pure-Java zstd (its level is fixed, close to zstd level 3). */
    record Aircompressor() implements ChunkCodec {

        @Override
        public int maxCompressedLength(int length) {
            return new ZstdCompressor().maxCompressedLength(length);
        }

        @Override
        public int compress(byte[] source, int length, byte[] target) {
            return new ZstdCompressor().compress(source, 0, length, target, 0, target.length);
        }

        @Override
        public void decompress(byte[] source, int sourceOffset, int sourceLength, byte[] target, int length) {
            int size;
            try {
                size = new ZstdDecompressor().decompress(source, sourceOffset, sourceLength, target, 0, length);
            } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new CorruptFrameException("zstd: " + e.getMessage());
            }
            if (size != length) {
                throw new CorruptFrameException("frame decompressed to " + size + " bytes, expected " + length);
            }
        }

        @Override
        public String description() {
            return "aircompressor zstd";
        }

        @Override
        public int level() {
            return 3;
        }
    }
}
