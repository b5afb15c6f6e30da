package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

/**
 * One partition of a target plan. The seed's fields (partition, current size, new size, filesystem,
 * action) plus what writing the target's table and explaining the plan to an operator need.
 *
 * <p>Sizes and starts are bytes. The limits ({@code minimumSizeBytes}, {@code maximumSizeBytes},
 * {@code fixedReason}) are always the planner's, computed from the source inventory; a client that
 * sends them back with an edit is ignored on those fields.
 *
 * @param partition the source partition number; the target keeps it (a deleted partition leaves its number unused)
 * @param typeId GPT type GUID or MBR system id of the source partition, or null when unknown
 * @param currentStartBytes start on the source disk
 * @param currentSizeBytes size on the source disk
 * @param newStartBytes start on the target disk: the source start, or a multiple of the plan's alignment; 0 when deleted
 * @param newSizeBytes size on the target disk; 0 when deleted
 * @param minimumSizeBytes the smallest size allowed: the captured size (filesystem minimum plus margin when the
 *     source is shrunk for capture), the current size when the partition cannot shrink
 * @param maximumSizeBytes the largest size allowed, or null when the partition may grow to the end of the disk
 * @param captureSizeBytes how large the partition's filesystem is in the image (what the source shrinks it to)
 * @param filesystem the filesystem type, or null when unknown
 * @param action keep, shrink, grow or delete
 * @param fixedReason why this partition may not shrink, grow or move, or null when it may
 */
public record PartitionPlan(
        int partition,
        String typeId,
        long currentStartBytes,
        long currentSizeBytes,
        long newStartBytes,
        long newSizeBytes,
        long minimumSizeBytes,
        Long maximumSizeBytes,
        long captureSizeBytes,
        String filesystem,
        PartitionAction action,
        String fixedReason) {

    public PartitionPlan {
        requireNonNull(action, "action is null");
    }

    /**
     * The first version of this record, kept so that code written against it compiles: no type id,
     * no maximum, captured at the current size.
     */
    public PartitionPlan(int partition, long currentStartBytes, long currentSizeBytes, long newStartBytes,
            long newSizeBytes, long minimumSizeBytes, String filesystem, PartitionAction action, String fixedReason) {
        this(partition, null, currentStartBytes, currentSizeBytes, newStartBytes, newSizeBytes, minimumSizeBytes,
                null, currentSizeBytes, filesystem, action, fixedReason);
    }

    public long newEndBytes() {
        return newStartBytes + newSizeBytes;
    }
}
