package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.node.DiskInventory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/node/inventory}: the disks an agent found. The disk and partition records are the
 * {@code events} module's, because the same records travel on in {@code io.pureboot.node.inventory-reported}.
 */
public record InventoryReport(
        @Size(max = 64, message = "must be at most 64 characters") String mac,
        @Size(max = 255, message = "must be at most 255 characters") String hostname,
        @NotNull(message = "is required") @Size(max = 64, message = "must list at most 64 disks")
        List<@Valid DiskInventory> disks) {

    public InventoryReport {
        disks = disks == null ? null : List.copyOf(disks);
    }
}
