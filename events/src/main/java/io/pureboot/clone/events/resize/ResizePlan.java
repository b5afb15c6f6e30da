package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.List;

/**
 * The layout one target disk gets. The seed's ResizePlan fields plus the geometry the agent needs to
 * write the target's partition table and the violations that make a plan infeasible.
 *
 * @param sourceDiskBytes size of the source disk
 * @param targetDiskBytes size of the target disk
 * @param resizeMode the session's resize mode the plan was made for
 * @param tableType the partition table written on the target (the source's)
 * @param logicalSectorSize the target's logical sector size; every start and size is a multiple of it
 * @param alignmentBytes starts that move are multiples of this (1 MiB)
 * @param firstUsableBytes the first byte a partition may use on the target (after the MBR or the GPT primary table)
 * @param usableEndBytes the byte after the last one a partition may use on the target (before the GPT backup table,
 *     or the 2 TiB limit of MBR)
 * @param partitions every source partition in disk order, deleted ones included
 * @param feasible true when the plan breaks no rule; always computed by the planner, never taken from a client
 * @param errorMessage why the plan is infeasible (partition and bytes), or null when feasible
 * @param violations every rule the plan breaks; empty when feasible
 */
public record ResizePlan(
        long sourceDiskBytes,
        long targetDiskBytes,
        ResizeMode resizeMode,
        PartitionTableType tableType,
        int logicalSectorSize,
        long alignmentBytes,
        long firstUsableBytes,
        long usableEndBytes,
        List<PartitionPlan> partitions,
        boolean feasible,
        String errorMessage,
        List<PlanViolation> violations) {

    public ResizePlan {
        requireNonNull(resizeMode, "resizeMode is null");
        requireNonNull(tableType, "tableType is null");
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    /**
     * The first version of this record, kept so that code written against it compiles: 512-byte
     * sectors, the whole target usable, no violation list.
     */
    public ResizePlan(long sourceDiskBytes, long targetDiskBytes, ResizeMode resizeMode, PartitionTableType tableType,
            long alignmentBytes, List<PartitionPlan> partitions, boolean feasible, String errorMessage) {
        this(sourceDiskBytes, targetDiskBytes, resizeMode, tableType, 512, alignmentBytes, 0, targetDiskBytes,
                partitions, feasible, errorMessage, List.of());
    }
}
