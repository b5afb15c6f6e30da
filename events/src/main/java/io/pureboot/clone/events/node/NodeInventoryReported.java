package io.pureboot.clone.events.node;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.time.OffsetDateTime;
import java.util.List;

/** A node's agent reported the disks it sees. Produced by clone-service; the planner keeps the latest. */
public record NodeInventoryReported(
        String nodeId,
        String mac,
        String hostname,
        OffsetDateTime reportedAt,
        List<DiskInventory> disks) implements EventPayload {

    public NodeInventoryReported {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(reportedAt, "reportedAt is null");
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    @Override
    public String subject() {
        return nodeId;
    }
}
