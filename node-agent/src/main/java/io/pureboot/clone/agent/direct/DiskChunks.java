package io.pureboot.clone.agent.direct;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.image.CaptureChunk;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkCodec;
import io.pureboot.clone.agent.image.ChunkSource;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ZeroFrames;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The source side of direct mode: each chunk read from the disk when a target asks for it (only the ranges the block
 * maps say hold data), hashed and compressed into one zstd frame. Stateless per request, so several targets and
 * several requests of one target are served at once.
 */
public final class DiskChunks implements ChunkSource {

    private final FileChannel disk;
    private final String diskName;
    private final List<CaptureChunk> chunks;
    private final ChunkCodec codec;
    private final ZeroFrames zeroFrames;

    private DiskChunks(FileChannel disk, String diskName, List<CaptureChunk> chunks, ChunkCodec codec) {
        this.disk = disk;
        this.diskName = diskName;
        this.chunks = List.copyOf(chunks);
        this.codec = codec;
        this.zeroFrames = new ZeroFrames(codec);
    }

    public static DiskChunks open(Path device, List<CaptureChunk> chunks, ChunkCodec codec) {
        requireNonNull(codec, "codec is null");
        try {
            return new DiskChunks(FileChannel.open(device, StandardOpenOption.READ), device.toString(), chunks, codec);
        } catch (IOException e) {
            throw new AgentException(FailureKind.DISK, "cannot open " + device + ": " + e.getMessage(), e);
        }
    }

    public int size() {
        return chunks.size();
    }

    @Override
    public Frame frame(ManifestChunk chunk) {
        return frame(chunk.index());
    }

    /** Reads, hashes and compresses chunk {@code index}. */
    public Frame frame(int index) {
        CaptureChunk chunk = chunks.get(index);
        int length = chunk.spec().length();
        if (chunk.mode() == CaptureChunk.Mode.SKIP) {
            ZeroFrames.Frame zero = zeroFrames.frame(length);
            return new Frame(zero.compressed(), zero.sha256());
        }
        byte[] buffer = new byte[length];
        CaptureEngine.read(disk, diskName, chunk, buffer, CaptureEngine.DEFAULT_MERGE_GAP);
        if (CaptureEngine.isZero(buffer, length)) {
            ZeroFrames.Frame zero = zeroFrames.frame(length);
            return new Frame(zero.compressed(), zero.sha256());
        }
        byte[] frame = new byte[codec.maxCompressedLength(length)];
        int size = codec.compress(buffer, length, frame);
        return new Frame(Arrays.copyOf(frame, size), ZeroFrames.sha256(buffer, length));
    }

    @Override
    public String describe(ManifestChunk chunk) {
        return diskName;
    }

    @Override
    public void close() {
        try {
            disk.close();
        } catch (IOException e) {
            // read-only; nothing to lose
        }
    }
}
