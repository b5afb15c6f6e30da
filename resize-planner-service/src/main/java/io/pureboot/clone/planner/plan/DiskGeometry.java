package io.pureboot.clone.planner.plan;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.PartitionTableType;

/**
 * Where partitions may lie on a disk once its partition table is written.
 *
 * @param tableType the partition table
 * @param logicalSectorSize bytes per logical sector
 * @param diskBytes the disk's size, rounded down to whole sectors
 * @param firstUsableBytes the first byte a partition may use
 * @param usableEndBytes the byte after the last one a partition may use
 */
public record DiskGeometry(PartitionTableType tableType, int logicalSectorSize, long diskBytes, long firstUsableBytes,
        long usableEndBytes) {

    /** A GPT has 128 entries of 128 bytes, in the primary table after LBA 1 and again before the backup header. */
    static final int GPT_ENTRY_ARRAY_BYTES = 128 * 128;

    /** MBR entries hold 32-bit LBAs: nothing may lie past sector 2^32 - 1 (2 TiB with 512-byte sectors). */
    static final long MBR_MAX_SECTORS = 0xffff_ffffL;

    public DiskGeometry {
        requireNonNull(tableType, "tableType is null");
    }

    public static DiskGeometry of(PartitionTableType tableType, long diskBytes, int logicalSectorSize) {
        long sectors = diskBytes / logicalSectorSize;
        long wholeBytes = sectors * logicalSectorSize;
        return switch (tableType) {
            case GPT -> {
                // Protective MBR (LBA 0), header (LBA 1), entries; mirrored at the end: entries, then header.
                long entrySectors = Math.ceilDiv(GPT_ENTRY_ARRAY_BYTES, logicalSectorSize);
                long first = (2 + entrySectors) * logicalSectorSize;
                long end = Math.max(0, sectors - 1 - entrySectors) * logicalSectorSize;
                yield new DiskGeometry(tableType, logicalSectorSize, wholeBytes, first, end);
            }
            case MBR -> new DiskGeometry(tableType, logicalSectorSize, wholeBytes, logicalSectorSize,
                    Math.min(sectors, MBR_MAX_SECTORS) * logicalSectorSize);
            case NONE -> new DiskGeometry(tableType, logicalSectorSize, wholeBytes, 0, wholeBytes);
        };
    }

    /** What occupies the bytes after {@link #usableEndBytes()}, for messages. */
    String usableEndReason() {
        return switch (tableType) {
            case GPT -> "the GPT backup table takes the last " + (diskBytes - usableEndBytes) / logicalSectorSize
                    + " sectors";
            case MBR -> usableEndBytes < diskBytes ? "MBR cannot address sectors past 2^32 - 1" : "the end of the disk";
            case NONE -> "the end of the disk";
        };
    }
}
