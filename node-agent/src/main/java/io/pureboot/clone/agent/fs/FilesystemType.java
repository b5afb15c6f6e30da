package io.pureboot.clone.agent.fs;

import java.util.Locale;

/** The filesystems the agent knows how to map, shrink, grow and check; anything else is copied raw. */
public enum FilesystemType {
    EXT2(true, true),
    EXT3(true, true),
    EXT4(true, true),
    VFAT(false, false),
    NTFS(true, true),
    XFS(false, true),
    BTRFS(true, true),
    /** Swap is recreated with mkswap at any size, keeping its UUID and label. */
    SWAP(true, true),
    /** Unknown, encrypted or absent: copied raw, never resized. */
    OTHER(false, false);

    private final boolean canShrink;
    private final boolean canGrow;

    FilesystemType(boolean canShrink, boolean canGrow) {
        this.canShrink = canShrink;
        this.canGrow = canGrow;
    }

    public boolean canShrink() {
        return canShrink;
    }

    public boolean canGrow() {
        return canGrow;
    }

    public boolean isExt() {
        return this == EXT2 || this == EXT3 || this == EXT4;
    }

    /**
     * Whether an unclean filesystem of this type can hold changes only in its log (ext3/4 journal, XFS log, btrfs log
     * tree), which its allocation maps do not show until the log is replayed.
     */
    public boolean hasReplayableLog() {
        return isExt() || this == XFS || this == BTRFS;
    }

    /** The type for a blkid TYPE value (null for none). */
    public static FilesystemType fromBlkid(String type) {
        if (type == null) {
            return OTHER;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "ext2" -> EXT2;
            case "ext3" -> EXT3;
            case "ext4" -> EXT4;
            case "vfat", "fat", "msdos" -> VFAT;
            case "ntfs" -> NTFS;
            case "xfs" -> XFS;
            case "btrfs" -> BTRFS;
            case "swap" -> SWAP;
            default -> OTHER;
        };
    }
}
