package io.pureboot.clone.controller.node.rest;

import io.pureboot.clone.events.node.DiskInventory;
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
        @Size(max = 255, message = "must be at most 255 characters") String hostname,
        OffsetDateTime takenAt,
        @NotNull(message = "is required") @Size(max = 64, message = "must list at most 64 disks") List<DiskInventory> disks) {
}
