package io.pureboot.clone.events.resize;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.List;

/**
 * The layout one target disk gets. The seed's ResizePlan fields plus the table type and alignment
 * the agent needs to write the target's partition table.
 *
 * @param errorMessage why the plan is infeasible (partition and bytes), or null when feasible
 */
public record ResizePlan(
        long sourceDiskBytes,
        long targetDiskBytes,
        ResizeMode resizeMode,
        PartitionTableType tableType,
        long alignmentBytes,
        List<PartitionPlan> partitions,
        boolean feasible,
        String errorMessage) {

    public ResizePlan {
        requireNonNull(resizeMode, "resizeMode is null");
        requireNonNull(tableType, "tableType is null");
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }
}
