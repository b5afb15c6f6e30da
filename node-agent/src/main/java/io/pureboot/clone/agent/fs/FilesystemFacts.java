package io.pureboot.clone.agent.fs;

import static java.util.Objects.requireNonNull;

/**
 * What the agent knows about the filesystem in one partition.
 *
 * @param type the filesystem kind the agent acts on
 * @param blkidType blkid's TYPE as reported (crypto_LUKS, ext4...), or null when none was found
 * @param label the filesystem label, or null
 * @param uuid the filesystem UUID, or null
 * @param filesystemBytes the size the filesystem occupies inside the partition, or null when unknown
 * @param needsCheck why the filesystem must be checked before its metadata can be trusted (a journal that needs
 *     recovery, recorded errors), or null when it is clean
 */
public record FilesystemFacts(FilesystemType type, String blkidType, String label, String uuid, Long filesystemBytes,
        String needsCheck) {

    public FilesystemFacts {
        requireNonNull(type, "type is null");
        if (filesystemBytes != null && filesystemBytes < 0) {
            throw new IllegalArgumentException("negative filesystem size " + filesystemBytes);
        }
    }

    public FilesystemFacts(FilesystemType type, String blkidType, String label, String uuid, Long filesystemBytes) {
        this(type, blkidType, label, uuid, filesystemBytes, null);
    }

    public static FilesystemFacts unknown() {
        return new FilesystemFacts(FilesystemType.OTHER, null, null, null, null);
    }

    /** These facts with the reason a check is needed (found after the probe, by a tool that refused). */
    public FilesystemFacts withNeedsCheck(String reason) {
        return new FilesystemFacts(type, blkidType, label, uuid, filesystemBytes, reason);
    }
}
