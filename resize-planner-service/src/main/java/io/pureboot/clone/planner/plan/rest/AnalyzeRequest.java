package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.planner.plan.GrowPolicy;
import io.pureboot.clone.planner.plan.PlanOptions;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How to compute the plans. Every field is optional and the body may be left out.
 *
 * @param growPolicy proportional (default) or one_partition
 * @param growPartition the partition that takes the room with one_partition; giving it alone implies one_partition
 * @param deletePartitions partitions the operator marks for deletion; no plan deletes anything else
 */
@Schema(description = "Options of an analysis; the body may be omitted")
public record AnalyzeRequest(
        @Schema(description = "proportional (Clonezilla -k1, the default) or one_partition (growpart)")
        GrowPolicy growPolicy,
        @Min(1) @Schema(description = "partition number that takes the room with one_partition")
        Integer growPartition,
        @Schema(description = "partition numbers to delete on every target")
        List<@NotNull @Min(1) Integer> deletePartitions) {

    PlanOptions options() {
        GrowPolicy policy = growPolicy != null ? growPolicy
                : growPartition != null ? GrowPolicy.ONE_PARTITION : GrowPolicy.PROPORTIONAL;
        return new PlanOptions(policy, growPartition, deletePartitions);
    }
}
