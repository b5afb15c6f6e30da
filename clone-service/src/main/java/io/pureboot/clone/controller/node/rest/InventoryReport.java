package io.pureboot.clone.controller.node.rest;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.InventoryLimits;
import io.pureboot.clone.events.validation.DistinctDiskIds;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The disks a node's agent found.
 *
 * @param takenAt when the agent took the inventory; defaults to the time the report arrives
 */
public record InventoryReport(
        @PlainText String hostname,
        OffsetDateTime takenAt,
        @NotNull(message = "is required")
        @DistinctDiskIds
        @Size(max = InventoryLimits.MAX_DISKS, message = "must list at most " + InventoryLimits.MAX_DISKS + " disks")
        List<@NotNull(message = "must not be null") @Valid DiskInventory> disks) {
}
