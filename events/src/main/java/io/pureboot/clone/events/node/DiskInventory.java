package io.pureboot.clone.events.node;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One disk of a node.
 *
 * @param stableId the id the disk is chosen by: WWN, else serial, else a /dev/disk/by-id name; never /dev/sdX
 * @param devicePath the kernel name when the inventory was taken (/dev/sda), for display only
 * @param serial the disk's serial number, or null
 * @param wwn the disk's World Wide Name, or null
 * @param model the disk's model string, or null
 * @param sizeBytes capacity in bytes
 * @param logicalSectorSize logical sector size in bytes (512 or 4096)
 * @param physicalSectorSize physical sector size in bytes
 * @param tableType the partition table on the disk
 * @param partitions partitions ordered by start
 */
public record DiskInventory(
        String stableId,
        String devicePath,
        String serial,
        String wwn,
        String model,
        long sizeBytes,
        int logicalSectorSize,
        int physicalSectorSize,
        PartitionTableType tableType,
        List<PartitionInventory> partitions) {

    public DiskInventory {
        requireNonNull(stableId, "stableId is null");
        requireNonNull(tableType, "tableType is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk " + stableId + " has a non-positive size: " + sizeBytes);
        }
        if (logicalSectorSize != 512 && logicalSectorSize != 4096) {
            throw new IllegalArgumentException("disk " + stableId + " has an unsupported logical sector size: "
                    + logicalSectorSize);
        }
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
}
