package io.pureboot.clone.agent.table;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.PartitionTableType;
import java.util.Comparator;
import java.util.List;

/**
 * A disk's partition table as parsed (or as it will be written).
 *
 * @param type GPT, MBR or NONE
 * @param sectorSize the logical sector size the table's LBAs are counted in
 * @param diskGuid the GPT disk GUID, or null for MBR
 * @param mbrSignature the MBR disk signature (bytes 440-443), 0 when none
 * @param gptEntryCount the number of GPT entry slots (128 normally), 0 for MBR
 * @param partitions partitions ordered by start
 */
public record PartitionTable(
        PartitionTableType type,
        int sectorSize,
        String diskGuid,
        long mbrSignature,
        int gptEntryCount,
        List<TablePartition> partitions) {

    public PartitionTable {
        requireNonNull(type, "type is null");
        if (sectorSize != 512 && sectorSize != 4096) {
            throw new IllegalArgumentException("unsupported sector size " + sectorSize);
        }
        partitions = partitions.stream().sorted(Comparator.comparingLong(TablePartition::startBytes)).toList();
    }

    public static PartitionTable none(int sectorSize) {
        return new PartitionTable(PartitionTableType.NONE, sectorSize, null, 0, 0, List.of());
    }

    /** The partition with this number, or an exception naming it. */
    public TablePartition partition(int number) {
        return partitions.stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no partition " + number + " in the table"));
    }

    public PartitionTable withPartitions(List<TablePartition> newPartitions) {
        return new PartitionTable(type, sectorSize, diskGuid, mbrSignature, gptEntryCount, newPartitions);
    }
}
