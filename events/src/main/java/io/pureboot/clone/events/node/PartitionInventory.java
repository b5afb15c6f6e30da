package io.pureboot.clone.events.node;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.validation.NullableLists;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * One partition as the agent found it.
 *
 * @param number partition number as the kernel names it (sda1 is 1)
 * @param startBytes first byte of the partition on the disk
 * @param sizeBytes length in bytes
 * @param typeId GPT type GUID (lower case) or MBR system id as {@code 0x83}
 * @param name GPT partition name, or null
 * @param flags GPT attribute or MBR flag names (for example {@code boot}, {@code required})
 * @param filesystem blkid TYPE (ext4, vfat, ntfs, xfs, btrfs, swap, crypto_LUKS...), or null when unknown
 * @param label filesystem label, or null
 * @param uuid filesystem UUID, or null
 * @param usedBytes bytes in use as the filesystem reports them, or null when unknown
 * @param minimumSizeBytes the smallest size the filesystem can be shrunk to, or null when it cannot shrink
 * @param canShrink whether the filesystem can be shrunk by the agent's tools
 * @param canGrow whether the filesystem can be grown by the agent's tools
 * @param logical true for an MBR logical partition inside an extended one
 * @param needsCheck why the filesystem must be checked (and perhaps repaired) before it can be sized or shrunk, for
 *     example an ext journal that needs recovery after a power cut; null when the agent found it clean. Its minimum
 *     size is then unknown (null), whatever its tool would say
 */
public record PartitionInventory(
        @Min(value = 1, message = "must be 1 to " + InventoryLimits.MAX_PARTITION_NUMBER)
        @Max(value = InventoryLimits.MAX_PARTITION_NUMBER, message = "must be 1 to "
                + InventoryLimits.MAX_PARTITION_NUMBER)
        int number,
        @PositiveOrZero(message = "must not be negative")
        @Max(value = InventoryLimits.MAX_BYTES, message = "must be at most " + InventoryLimits.MAX_BYTES)
        long startBytes,
        @Positive(message = "must be positive")
        @Max(value = InventoryLimits.MAX_BYTES, message = "must be at most " + InventoryLimits.MAX_BYTES)
        long sizeBytes,
        @NotBlank(message = "is required") @PlainText(max = 64) String typeId,
        @PlainText String name,
        @Size(max = 64, message = "must list at most 64 flags")
        List<@NotNull(message = "must not be null") @PlainText(max = 64) String> flags,
        @PlainText(max = 64) String filesystem,
        @PlainText String label,
        @PlainText(max = 64) String uuid,
        @PositiveOrZero(message = "must not be negative")
        @Max(value = InventoryLimits.MAX_BYTES, message = "must be at most " + InventoryLimits.MAX_BYTES)
        Long usedBytes,
        @PositiveOrZero(message = "must not be negative")
        @Max(value = InventoryLimits.MAX_BYTES, message = "must be at most " + InventoryLimits.MAX_BYTES)
        Long minimumSizeBytes,
        boolean canShrink,
        boolean canGrow,
        boolean logical,
        @PlainText(max = 1000) String needsCheck) {

    public PartitionInventory {
        requireNonNull(typeId, "typeId is null");
        if (number < 1) {
            throw new IllegalArgumentException("partition number must be >= 1: " + number);
        }
        if (startBytes < 0 || sizeBytes <= 0) {
            throw new IllegalArgumentException("partition " + number + " has an invalid extent: start "
                    + startBytes + ", size " + sizeBytes);
        }
        flags = NullableLists.copyOf(flags);
    }

    /** A partition the agent found clean (the record before {@code needsCheck}). */
    public PartitionInventory(int number, long startBytes, long sizeBytes, String typeId, String name,
            List<String> flags, String filesystem, String label, String uuid, Long usedBytes, Long minimumSizeBytes,
            boolean canShrink, boolean canGrow, boolean logical) {
        this(number, startBytes, sizeBytes, typeId, name, flags, filesystem, label, uuid, usedBytes, minimumSizeBytes,
                canShrink, canGrow, logical, null);
    }

    public long endBytes() {
        return startBytes + sizeBytes;
    }
}
