package io.pureboot.clone.events.node;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.validation.NullableLists;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
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
 *
 * <p>The constraints are the one validation of a reported disk: clone-service checks them on the node API and the
 * operator's import, the planner again on the event, so what one service accepts the other stores.
 */
public record DiskInventory(
        @NotBlank(message = "is required") @PlainText String stableId,
        @PlainText String devicePath,
        @PlainText String serial,
        @PlainText String wwn,
        @PlainText String model,
        @Positive(message = "must be positive")
        @Max(value = InventoryLimits.MAX_BYTES, message = "must be at most " + InventoryLimits.MAX_BYTES)
        long sizeBytes,
        @Min(value = 512, message = "must be 512 or 4096") @Max(value = 4096, message = "must be 512 or 4096")
        int logicalSectorSize,
        @Min(value = 512, message = "must be 512 to 65536") @Max(value = 65536, message = "must be 512 to 65536")
        int physicalSectorSize,
        @NotNull(message = "is required: gpt, mbr or none") PartitionTableType tableType,
        @Size(max = InventoryLimits.MAX_PARTITIONS, message = "must list at most " + InventoryLimits.MAX_PARTITIONS
                + " partitions")
        List<@NotNull(message = "must not be null") @Valid PartitionInventory> partitions) {

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
        partitions = NullableLists.copyOf(partitions);
    }
}
