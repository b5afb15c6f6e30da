package io.pureboot.clone.planner.plan;

import io.pureboot.clone.events.resize.PartitionAction;

/**
 * An operator's choice for one partition. Missing values are filled in: no size keeps the current
 * one (or is an error for shrink and grow), no start puts the partition at the earliest aligned
 * place after its predecessor, no action follows from the size.
 *
 * @param partition the source partition number
 * @param action keep, shrink, grow or delete, or null to follow from the size
 * @param newSizeBytes the size on the target, or null
 * @param newStartBytes the start on the target, or null
 */
public record PartitionEdit(int partition, PartitionAction action, Long newSizeBytes, Long newStartBytes) {
}
