package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.planner.plan.GrowPolicy;
import io.pureboot.clone.planner.plan.PlanOptions;
import io.pureboot.clone.planner.plan.PlanVersion;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One version of a target's plan: which target and version, then the seed's ResizePlan fields
 * (source_disk_bytes, target_disk_bytes, resize_mode, partitions, feasible, error_message) and the
 * geometry and violations the planner adds.
 */
public record PlanView(
        UUID sessionId,
        String targetNodeId,
        String targetDiskId,
        int version,
        ResizePlanPublished.Origin origin,
        OffsetDateTime createdAt,
        GrowPolicy growPolicy,
        Integer growPartition,
        List<Integer> deletePartitions,
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

    static PlanView of(PlanVersion row) {
        ResizePlan plan = row.resizePlan();
        PlanOptions options = row.planOptions();
        List<Integer> deleted = plan.partitions().stream().filter(p -> p.action() == PartitionAction.DELETE)
                .map(PartitionPlan::partition).sorted().toList();
        return new PlanView(row.sessionId, row.targetNodeId, row.targetDiskId, row.version, row.origin, row.createdAt,
                options.growPolicy(), options.growPartition(), deleted, plan.sourceDiskBytes(), plan.targetDiskBytes(),
                plan.resizeMode(), plan.tableType(), plan.logicalSectorSize(), plan.alignmentBytes(),
                plan.firstUsableBytes(), plan.usableEndBytes(), plan.partitions(), plan.feasible(), plan.errorMessage(),
                plan.violations());
    }
}
