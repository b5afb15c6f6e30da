package io.pureboot.clone.planner.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What an operator chose for a computed plan.
 *
 * @param growPolicy how extra capacity is used
 * @param growPartition the partition that takes the room with {@link GrowPolicy#ONE_PARTITION}, else null
 * @param deletePartitions the partitions the operator marked for deletion, sorted, no duplicates
 */
public record PlanOptions(GrowPolicy growPolicy, Integer growPartition, List<Integer> deletePartitions) {

    public static final PlanOptions DEFAULT = new PlanOptions(GrowPolicy.PROPORTIONAL, null, List.of());

    public PlanOptions {
        requireNonNull(growPolicy, "growPolicy is null");
        deletePartitions = deletePartitions == null ? List.of()
                : deletePartitions.stream().distinct().sorted().toList();
    }

    public boolean deletes(int partition) {
        return deletePartitions.contains(partition);
    }
}
