package io.pureboot.clone.controller.node.service;

import io.pureboot.clone.events.node.DiskInventory;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A node's disks as reported, by its agent (node API) or by an operator's import (node REST API): the command
 * {@link NodeService#reportInventory} takes, so the service knows neither REST shape.
 *
 * @param takenAt when the inventory was taken; null: when it arrives
 */
public record ReportedInventory(String hostname, OffsetDateTime takenAt, List<DiskInventory> disks) {

    public ReportedInventory {
        disks = List.copyOf(disks);
    }
}
