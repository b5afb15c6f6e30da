package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.InventoryLimits;
import io.pureboot.clone.events.validation.NullableLists;
import io.pureboot.clone.events.validation.DistinctDiskIds;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/node/inventory}: the disks an agent found. The disk and partition records are the
 * {@code events} module's, because the same records travel on in {@code io.pureboot.node.inventory-reported}.
 */
public record InventoryReport(
        @PlainText(max = 64) String mac,
        @PlainText String hostname,
        @NotNull(message = "is required")
        @DistinctDiskIds
        @Size(max = InventoryLimits.MAX_DISKS, message = "must list at most " + InventoryLimits.MAX_DISKS + " disks")
        List<@NotNull(message = "must not be null") @Valid DiskInventory> disks) {

    public InventoryReport {
        disks = disks == null ? null : NullableLists.copyOf(disks);
    }
}
