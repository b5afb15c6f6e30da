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
 */
public record FilesystemFacts(FilesystemType type, String blkidType, String label, String uuid, Long filesystemBytes) {

    public FilesystemFacts {
        requireNonNull(type, "type is null");
        if (filesystemBytes != null && filesystemBytes < 0) {
            throw new IllegalArgumentException("negative filesystem size " + filesystemBytes);
        }
    }

    public static FilesystemFacts unknown() {
        return new FilesystemFacts(FilesystemType.OTHER, null, null, null, null);
    }
}
