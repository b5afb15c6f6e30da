package io.pureboot.clone.planner.plan;

import java.util.Locale;
import java.util.Set;

/** What the planner knows about a partition's content, which decides whether and how it may be resized. */
public enum PartitionKind {
    /** GRUB's core image on a GPT disk booted by BIOS; boot.img points at its sectors. */
    BIOS_BOOT,
    /** Windows' reserved space on GPT; no filesystem. */
    MICROSOFT_RESERVED,
    /** An MBR extended partition: the container of the logical ones. */
    EXTENDED,
    /** LUKS, BitLocker, VeraCrypt: the agent cannot see inside. */
    ENCRYPTED,
    /** No filesystem the agent recognised. */
    UNKNOWN,
    /** Linux swap, recreated at any size with its UUID and label. */
    SWAP,
    /** ext2, ext3, ext4: shrink and grow. */
    EXT,
    /** NTFS: shrink and grow. */
    NTFS,
    /** btrfs: shrink and grow. */
    BTRFS,
    /** XFS: grows, never shrinks. */
    XFS,
    /** A filesystem the agent recognises but does not resize (vfat, LVM members, ...): copied as it is. */
    OTHER_FILESYSTEM;

    static final String BIOS_BOOT_GUID = "21686148-6449-6e6f-744e-656564454649";
    static final String MICROSOFT_RESERVED_GUID = "e3c9e316-0b5c-4db8-817d-f92df00215ae";
    static final String LUKS_GUID = "ca7d7ccb-63ed-4c53-861c-1742536059cc";
    private static final Set<Integer> MBR_EXTENDED_IDS = Set.of(0x05, 0x0f, 0x85);
    private static final int MBR_LUKS_ID = 0xe8;
    private static final Set<String> ENCRYPTED_FILESYSTEMS = Set.of("crypto_luks", "bitlocker", "veracrypt");

    /** Classifies by partition type first (a type says more than blkid about these), then by filesystem. */
    public static PartitionKind of(String typeId, String filesystem) {
        String type = typeId == null ? "" : typeId.trim().toLowerCase(Locale.ROOT);
        Integer mbrId = mbrId(type);
        if (BIOS_BOOT_GUID.equals(type)) {
            return BIOS_BOOT;
        }
        if (MICROSOFT_RESERVED_GUID.equals(type)) {
            return MICROSOFT_RESERVED;
        }
        if (mbrId != null && MBR_EXTENDED_IDS.contains(mbrId)) {
            return EXTENDED;
        }
        if (filesystem == null || filesystem.isBlank()) {
            boolean encryptedType = LUKS_GUID.equals(type) || (mbrId != null && mbrId == MBR_LUKS_ID);
            return encryptedType ? ENCRYPTED : UNKNOWN;
        }
        String name = filesystem.trim().toLowerCase(Locale.ROOT);
        if (ENCRYPTED_FILESYSTEMS.contains(name)) {
            return ENCRYPTED;
        }
        return switch (name) {
            case "ext2", "ext3", "ext4" -> EXT;
            case "ntfs" -> NTFS;
            case "btrfs" -> BTRFS;
            case "xfs" -> XFS;
            case "swap" -> SWAP;
            default -> OTHER_FILESYSTEM;
        };
    }

    /** The MBR system id of {@code 0x83} or {@code 83}, or null when the type is a GUID. */
    private static Integer mbrId(String type) {
        String digits = type.startsWith("0x") ? type.substring(2) : type;
        if (digits.isEmpty() || digits.length() > 2) {
            return null;
        }
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
