package io.pureboot.clone.planner.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A source partition within one plan: its limits once the plan's deletions are known. Partitions
 * that must keep their start (the first one, BIOS boot) pin everything before them too: moving or
 * growing those would push a pinned partition.
 *
 * @param limits the partition's limits from the capture layout
 * @param deleted true when the plan deletes it
 * @param keepsStart true when it must stay at its source start
 * @param startReason why it must keep its start, or null
 * @param minimumSizeBytes the smallest size in this plan
 * @param maximumSizeBytes the largest size in this plan, or null for no limit
 * @param sizeReason why the size is limited, or null
 * @param container true for an MBR extended partition holding logical ones: its start and size follow from theirs
 *     (see {@link Placement#container}), it has no size of its own to plan
 */
record Slot(PartitionLimits limits, boolean deleted, boolean keepsStart, String startReason, long minimumSizeBytes,
        Long maximumSizeBytes, String sizeReason, boolean container) {

    /** Why logical partitions and their extended partition cannot be deleted. */
    static final String LOGICAL_DELETE_REASON = "logical partitions are numbered by their place in the chain of "
            + "extended boot records: deleting one (or their extended partition) would renumber the others";

    /** The slots of a plan in disk order. */
    static List<Slot> of(CaptureLayout capture, Collection<Integer> deleted) {
        List<PartitionLimits> partitions = capture.partitions();
        int lastPinned = -1;
        for (int i = 0; i < partitions.size(); i++) {
            if (!deleted.contains(partitions.get(i).number()) && partitions.get(i).pinnedReason() != null) {
                lastPinned = i;
            }
        }
        boolean logicalLayout = capture.hasLogicalPartitions();
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            PartitionLimits limits = partitions.get(i);
            long size = limits.sizeBytes();
            boolean container = logicalLayout && limits.kind() == PartitionKind.EXTENDED;
            if (deleted.contains(limits.number())) {
                slots.add(new Slot(limits, true, false, null, 0, 0L, null, false));
            } else if (i < lastPinned) {
                PartitionLimits pinned = partitions.get(lastPinned);
                String reason = "it lies before " + pinned.title() + ", which must keep its start";
                slots.add(new Slot(limits, false, true, reason, size, size, reason, container));
            } else {
                slots.add(new Slot(limits, false, limits.pinnedReason() != null, limits.pinnedReason(),
                        limits.minimumSizeBytes(), limits.maximumSizeBytes(), limits.fixedReason(), container));
            }
        }
        return slots;
    }

    long sourceStart() {
        return limits.startBytes();
    }

    long currentSize() {
        return limits.sizeBytes();
    }

    /** Room to shrink at this size. */
    long slack(long size) {
        return deleted || container ? 0 : Math.max(0, size - minimumSizeBytes);
    }

    /** Room to grow at this size; Long.MAX_VALUE when unlimited. */
    long headroom(long size) {
        if (deleted || container) {
            return 0;
        }
        return maximumSizeBytes == null ? Long.MAX_VALUE : Math.max(0, maximumSizeBytes - size);
    }
}
