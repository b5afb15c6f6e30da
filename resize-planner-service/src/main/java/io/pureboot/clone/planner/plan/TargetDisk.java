package io.pureboot.clone.planner.plan;

/**
 * The disk a plan is made for, from the target's own inventory.
 *
 * @param sizeBytes the target disk's size
 * @param logicalSectorSize its logical sector size
 */
public record TargetDisk(long sizeBytes, int logicalSectorSize) {

    public TargetDisk {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("target disk size must be positive: " + sizeBytes);
        }
        if (logicalSectorSize != 512 && logicalSectorSize != 4096) {
            throw new IllegalArgumentException("unsupported logical sector size: " + logicalSectorSize);
        }
    }
}
