package io.pureboot.clone.planner.inventory.rest;

import io.pureboot.clone.events.node.DiskInventory;
import java.time.OffsetDateTime;
import java.util.List;

/** A node's latest inventory as the planner sees it. */
public record InventoryView(String nodeId, String mac, String hostname, OffsetDateTime reportedAt,
        long reportsReceived, List<DiskInventory> disks) {
}
