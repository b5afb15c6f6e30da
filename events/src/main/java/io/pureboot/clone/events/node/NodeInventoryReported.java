package io.pureboot.clone.events.node;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.time.OffsetDateTime;
import io.pureboot.clone.events.validation.NullableLists;
import io.pureboot.clone.events.validation.DistinctDiskIds;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A node's agent reported the disks it sees. Produced by clone-service; the planner keeps the latest. */
public record NodeInventoryReported(
        @NotNull(message = "is required") @PlainText String nodeId,
        @PlainText(max = 64) String mac,
        @PlainText String hostname,
        @NotNull(message = "is required") OffsetDateTime reportedAt,
        @DistinctDiskIds
        @Size(max = InventoryLimits.MAX_DISKS, message = "must list at most " + InventoryLimits.MAX_DISKS + " disks")
        List<@NotNull(message = "must not be null") @Valid DiskInventory> disks) implements EventPayload {

    public NodeInventoryReported {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(reportedAt, "reportedAt is null");
        disks = NullableLists.copyOf(disks);
    }

    @Override
    public String subject() {
        return nodeId;
    }
}
