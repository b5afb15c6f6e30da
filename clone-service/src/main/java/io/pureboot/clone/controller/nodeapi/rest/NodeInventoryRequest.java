package io.pureboot.clone.controller.nodeapi.rest;

import io.pureboot.clone.events.node.DiskInventory;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The disks an agent found, as it posts them. */
public record NodeInventoryRequest(
        @Size(max = 64, message = "must be at most 64 characters") String mac,
        @Size(max = 255, message = "must be at most 255 characters") String hostname,
        @NotNull(message = "is required") @Size(max = 64, message = "must list at most 64 disks") List<DiskInventory> disks) {
}
