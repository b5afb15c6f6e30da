package io.pureboot.clone.agent.image;

import io.pureboot.clone.agent.table.TablePartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts a disk into chunks. Every partition starts a new chunk, so that a partition's chunks can be placed at any new
 * start on a target; the areas outside partitions (tables, gaps) are chunked the same way. The chunks tile the disk
 * in order, which is what makes the concatenated frames a plain image of the whole disk.
 */
public final class ChunkLayout {

    /** 4 MiB: large sequential reads, frames big enough for zstd's window, small enough to resume cheaply. */
    public static final int DEFAULT_CHUNK_SIZE = 4 << 20;

    private ChunkLayout() {
    }

    /**
     * The chunks of a disk of {@code diskSize} bytes holding {@code partitions} (data partitions only: an MBR
     * extended container is not one, its EBRs are chunked as gaps).
     */
    public static List<ChunkSpec> plan(long diskSize, List<TablePartition> partitions, int chunkSize) {
        if (chunkSize <= 0 || chunkSize % 4096 != 0) {
            throw new IllegalArgumentException("chunk size must be a positive multiple of 4096: " + chunkSize);
        }
        List<TablePartition> sorted = partitions.stream().sorted(Comparator.comparingLong(TablePartition::startBytes))
                .toList();
        List<ChunkSpec> chunks = new ArrayList<>();
        long cursor = 0;
        for (TablePartition partition : sorted) {
            if (partition.startBytes() < cursor) {
                throw new IllegalArgumentException("partition " + partition.number() + " overlaps the previous one");
            }
            if (partition.endBytes() > diskSize) {
                throw new IllegalArgumentException("partition " + partition.number() + " ends beyond the disk");
            }
            addSegment(chunks, cursor, partition.startBytes(), 0, chunkSize);
            addSegment(chunks, partition.startBytes(), partition.endBytes(), partition.number(), chunkSize);
            cursor = partition.endBytes();
        }
        addSegment(chunks, cursor, diskSize, 0, chunkSize);
        return chunks;
    }

    private static void addSegment(List<ChunkSpec> chunks, long start, long end, int partition, int chunkSize) {
        for (long offset = start; offset < end; offset += chunkSize) {
            int length = (int) Math.min(chunkSize, end - offset);
            chunks.add(new ChunkSpec(chunks.size(), offset, length, partition, offset - start));
        }
    }
}
