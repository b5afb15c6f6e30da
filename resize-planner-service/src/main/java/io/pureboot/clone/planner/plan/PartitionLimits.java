package io.pureboot.clone.planner.plan;

import static java.util.Objects.requireNonNull;

/**
 * One source partition as every target plan of a session sees it: where it is, how large its
 * filesystem is in the image, and how far it may shrink or grow.
 *
 * @param number the partition number
 * @param typeId GPT type GUID or MBR system id, or null
 * @param filesystem blkid filesystem type, or null when unknown
 * @param kind what the planner makes of the partition
 * @param logical true for an MBR logical partition
 * @param startBytes start on the source disk
 * @param sizeBytes size on the source disk
 * @param captureSizeBytes size of the filesystem in the image
 * @param minimumSizeBytes the smallest size a target may give it
 * @param maximumSizeBytes the largest size a target may give it, or null for no limit
 * @param minimumReason what the minimum is made of, for messages
 * @param fixedReason why it may not shrink or grow (or either), or null when it may do both
 * @param pinnedReason why it must keep its start, or null when it may move
 * @param needsCheck why the source agent found the filesystem unclean, or null when it is clean
 */
public record PartitionLimits(
        int number,
        String typeId,
        String filesystem,
        PartitionKind kind,
        boolean logical,
        long startBytes,
        long sizeBytes,
        long captureSizeBytes,
        long minimumSizeBytes,
        Long maximumSizeBytes,
        String minimumReason,
        String fixedReason,
        String pinnedReason,
        String needsCheck) {

    public PartitionLimits {
        requireNonNull(kind, "kind is null");
        requireNonNull(minimumReason, "minimumReason is null");
    }

    public long endBytes() {
        return startBytes + sizeBytes;
    }

    public boolean growable() {
        return maximumSizeBytes == null || maximumSizeBytes > sizeBytes;
    }

    /** {@code partition 3 (ext4)}: how messages name a partition. */
    public String title() {
        String content = switch (kind) {
            case BIOS_BOOT -> "BIOS boot";
            case MICROSOFT_RESERVED -> "Microsoft reserved";
            case EXTENDED -> "extended";
            case UNKNOWN -> "unknown filesystem";
            case ENCRYPTED, SWAP, EXT, NTFS, BTRFS, XFS, OTHER_FILESYSTEM -> filesystem == null ? "encrypted" : filesystem;
        };
        return "partition " + number + " (" + content + ")";
    }
}
