package io.pureboot.clone.agent.image;

/**
 * Where one chunk lies: {@code length} bytes at {@code offset} on the source disk, inside partition {@code partition}
 * (0: outside partitions) at {@code relativeOffset} from the partition's (or the gap's) start.
 */
public record ChunkSpec(int index, long offset, int length, int partition, long relativeOffset) {

    public ChunkSpec {
        if (index < 0 || offset < 0 || length <= 0 || partition < 0 || relativeOffset < 0) {
            throw new IllegalArgumentException("invalid chunk " + index + " at " + offset + "+" + length);
        }
    }

    public long end() {
        return offset + length;
    }
}
