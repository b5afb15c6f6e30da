package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

/**
 * One partition of a target plan. The seed's fields (partition, current size, new size, filesystem,
 * action) plus what writing the target's table needs.
 *
 * @param partition the source partition number
 * @param currentStartBytes start on the source disk
 * @param currentSizeBytes size on the source disk
 * @param newStartBytes start on the target disk (aligned)
 * @param newSizeBytes size on the target disk; 0 when deleted
 * @param minimumSizeBytes the smallest size allowed (filesystem minimum plus margin), or the current size when fixed
 * @param filesystem the filesystem type, or null when unknown
 * @param action keep, shrink, grow or delete
 * @param fixedReason why this partition may not change size, or null when it may
 */
public record PartitionPlan(
        int partition,
        long currentStartBytes,
        long currentSizeBytes,
        long newStartBytes,
        long newSizeBytes,
        long minimumSizeBytes,
        String filesystem,
        PartitionAction action,
        String fixedReason) {

    public PartitionPlan {
        requireNonNull(action, "action is null");
    }

    public long newEndBytes() {
        return newStartBytes + newSizeBytes;
    }
}
