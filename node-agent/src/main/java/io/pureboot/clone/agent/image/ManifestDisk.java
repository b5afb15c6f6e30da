package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

/**
 * The source disk's geometry and identity.
 *
 * @param stableId the id the controller chose the disk by
 * @param serial serial number, or null
 * @param wwn World Wide Name, or null
 * @param model model string, or null
 * @param sizeBytes capacity
 * @param logicalSectorSize logical sector size
 * @param physicalSectorSize physical sector size
 */
public record ManifestDisk(
        String stableId,
        String serial,
        String wwn,
        String model,
        long sizeBytes,
        int logicalSectorSize,
        int physicalSectorSize) {

    public ManifestDisk {
        requireNonNull(stableId, "stableId is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
    }
}
