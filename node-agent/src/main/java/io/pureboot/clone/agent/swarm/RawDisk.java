package io.pureboot.clone.agent.swarm;

import io.pureboot.clone.agent.clone.DirectSource;
import io.pureboot.clone.agent.image.CaptureChunk;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestDisk;
import io.pureboot.clone.agent.image.ManifestTable;
import io.pureboot.clone.agent.image.RestoreLayout;
import io.pureboot.clone.events.node.PartitionTableType;
import java.util.List;

/**
 * A disk served as raw bytes, without partition table or filesystems: every chunk read and sent, and restored at the
 * same offset. What the swarm's tests and benchmark clone, so that they measure the data plane alone.
 */
public final class RawDisk {

    private RawDisk() {
    }

    /** Every chunk of a {@code sizeBytes} disk, read whole. */
    public static List<CaptureChunk> chunks(long sizeBytes, int chunkSize) {
        return ChunkLayout.plan(sizeBytes, List.of(), chunkSize).stream().map(CaptureChunk::all).toList();
    }

    /** The streamed manifest a direct source serves for {@link #chunks}. */
    public static Manifest streamedManifest(String name, long sizeBytes, int chunkSize, int level) {
        List<CaptureChunk> chunks = chunks(sizeBytes, chunkSize);
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, "pureboot-swarm", chunkSize, Manifest.STREAMED,
                level, new ManifestDisk(name, null, null, null, sizeBytes, 512, 512),
                new ManifestTable(PartitionTableType.NONE, 512, null, 0, 0), List.of(),
                DirectSource.streamedChunks(chunks), 0);
        manifest.validate();
        return manifest;
    }

    /** Each chunk at its own offset of a disk of the same size. */
    public static RestoreLayout layout(Manifest manifest) {
        long size = manifest.disk().sizeBytes();
        return RestoreLayout.create(manifest, List.of(), size, 512, 0, size);
    }
}
