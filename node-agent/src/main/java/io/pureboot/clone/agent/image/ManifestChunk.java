package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

/**
 * One chunk: a fixed-size piece of one partition (or of the area outside partitions) stored as one zstd frame.
 *
 * @param index position in the chunk table (and in disk.img.zst)
 * @param offset first byte on the source disk
 * @param length raw length in bytes (the chunk size, less at the end of a partition or gap)
 * @param partition the partition it belongs to, 0 for areas outside partitions
 * @param relativeOffset offset inside the partition (or gap), so restore can place it at the partition's new start
 * @param compressedOffset first byte of its frame in disk.img.zst (0 in a streamed manifest)
 * @param compressedSize length of its frame (0 in a streamed manifest, where frames are fetched one by one)
 * @param sha256 SHA-256 of the raw bytes, lower-case hex; null only for a data chunk of a streamed manifest, whose
 *     hash the source sends with the chunk because it reads the data only when asked
 * @param kind data, zero or unused
 */
public record ManifestChunk(
        int index,
        long offset,
        int length,
        int partition,
        long relativeOffset,
        long compressedOffset,
        int compressedSize,
        String sha256,
        ChunkKind kind) {

    public ManifestChunk {
        requireNonNull(kind, "kind is null");
        if (index < 0 || offset < 0 || length <= 0 || partition < 0 || relativeOffset < 0 || compressedOffset < 0
                || compressedSize < 0) {
            throw new IllegalArgumentException("chunk " + index + " has an invalid extent: offset " + offset
                    + ", length " + length + ", compressed " + compressedOffset + "+" + compressedSize);
        }
        if (sha256 != null && sha256.length() != 64) {
            throw new IllegalArgumentException("chunk " + index + " has a malformed sha256 '" + sha256 + "'");
        }
    }

    public long end() {
        return offset + length;
    }
}
