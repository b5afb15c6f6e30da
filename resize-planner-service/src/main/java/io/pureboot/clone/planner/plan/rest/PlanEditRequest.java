package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.planner.plan.PartitionEdit;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An operator's edit of a target's plan. The plan GET returns can be sent back as it is, edited:
 * only {@code version} and, per partition, {@code partition}, {@code action}, {@code new_size_bytes}
 * and {@code new_start_bytes} are read. Everything else (minimums, {@code feasible}, messages) is the
 * server's to compute and is ignored.
 *
 * @param version the version the edit was made on; when given and no longer current, the edit is refused (409)
 * @param partitions every source partition with what to do with it
 */
@Schema(description = "An edited plan: the plan as returned by GET, changed; server-computed fields are ignored")
public record PlanEditRequest(
        @Min(1) @Schema(description = "the plan version this edit starts from (optimistic concurrency)")
        Integer version,
        @NotEmpty @Schema(description = "every partition of the source, with action delete for those to drop")
        List<@NotNull @Valid PartitionEditRequest> partitions) {

    List<PartitionEdit> edits() {
        return partitions.stream().map(PartitionEditRequest::edit).toList();
    }

    /**
     * One partition of the edit.
     *
     * @param partition the source partition number
     * @param action keep, shrink, grow or delete; when left out it follows from the sizes
     * @param newSizeBytes size on the target; when left out the current size is kept
     * @param newStartBytes start on the target; when left out the partition starts at the earliest aligned place
     */
    public record PartitionEditRequest(
            @NotNull @Min(1) Integer partition,
            PartitionAction action,
            @PositiveOrZero Long newSizeBytes,
            @PositiveOrZero Long newStartBytes) {

        PartitionEdit edit() {
            return new PartitionEdit(partition, action, newSizeBytes, newStartBytes);
        }
    }
}
