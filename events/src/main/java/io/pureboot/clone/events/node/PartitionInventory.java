package io.pureboot.clone.events.node;

import static java.util.Objects.requireNonNull;

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
 */
public record PartitionInventory(
        int number,
        long startBytes,
        long sizeBytes,
        String typeId,
        String name,
        List<String> flags,
        String filesystem,
        String label,
        String uuid,
        Long usedBytes,
        Long minimumSizeBytes,
        boolean canShrink,
        boolean canGrow,
        boolean logical) {

    public PartitionInventory {
        requireNonNull(typeId, "typeId is null");
        if (number < 1) {
            throw new IllegalArgumentException("partition number must be >= 1: " + number);
        }
        if (startBytes < 0 || sizeBytes <= 0) {
            throw new IllegalArgumentException("partition " + number + " has an invalid extent: start "
                    + startBytes + ", size " + sizeBytes);
        }
        flags = flags == null ? List.of() : List.copyOf(flags);
    }

    public long endBytes() {
        return startBytes + sizeBytes;
    }
}
