package io.pureboot.clone.planner.inventory.service;

import io.pureboot.clone.events.node.NodeInventoryReported;
import io.pureboot.clone.planner.inventory.NodeDisk;
import io.pureboot.clone.planner.inventory.NodeInventory;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/** Keeps the newest reported inventory per node and disk. Runs inside the inbox transaction. */
@ApplicationScoped
public class InventoryService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class);

    /**
     * Applies a report. A report older than the stored one (events may arrive out of order) is
     * counted but does not replace the newer disks.
     */
    public Uni<Void> apply(NodeInventoryReported report) {
        return NodeInventory.<NodeInventory>findById(report.nodeId())
                .chain(existing -> {
                    NodeInventory node = existing == null ? newNode(report.nodeId()) : existing;
                    node.reportsReceived++;
                    if (existing != null && report.reportedAt().isBefore(existing.reportedAt)) {
                        LOG.debugf("kept the newer inventory of node %s over one from %s", report.nodeId(),
                                report.reportedAt());
                        return Uni.createFrom().voidItem();
                    }
                    node.mac = report.mac();
                    node.hostname = report.hostname();
                    node.reportedAt = report.reportedAt();
                    return node.<NodeInventory>persist()
                            .chain(() -> NodeDisk.delete("nodeId", report.nodeId()))
                            .chain(() -> NodeDisk.persist(report.disks().stream()
                                    .map(disk -> NodeDisk.of(report.nodeId(), disk)).toList()));
                })
                .replaceWithVoid();
    }

    public Uni<NodeInventory> node(String nodeId) {
        return NodeInventory.findById(nodeId);
    }

    public Uni<List<NodeDisk>> disks(String nodeId) {
        return NodeDisk.list("nodeId = ?1 order by diskId", nodeId);
    }

    private static NodeInventory newNode(String nodeId) {
        NodeInventory node = new NodeInventory();
        node.nodeId = nodeId;
        return node;
    }
}
