package io.pureboot.clone.controller.node.service;

import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.controller.node.Node;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.NodeInventoryReported;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

/** The node registry and the inventories nodes report. */
@ApplicationScoped
public class NodeService {

    private final Outbox outbox;
    private final Clock clock;

    public NodeService(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @WithTransaction
    public Uni<Node> register(String mac, String name) {
        String canonical = MacAddress.normalize(mac);
        return Node.count("mac", canonical).chain(count -> {
            if (count > 0) {
                return Uni.createFrom().failure(ApiException.conflict("a node with MAC " + canonical + " is registered"));
            }
            Node node = new Node();
            node.id = UUID.randomUUID();
            node.mac = canonical;
            node.name = name.strip();
            node.createdAt = OffsetDateTime.now(clock);
            return node.persist();
        });
    }

    @WithSession
    public Uni<List<Node>> list() {
        return Node.list("order by name, mac");
    }

    @WithSession
    public Uni<Node> get(UUID id) {
        return Node.<Node>findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("node", id));
    }

    /** Records the report on the node and hands it to the planner as an event, in one transaction. */
    @WithTransaction
    public Uni<Node> reportInventory(UUID id, ReportedInventory report) {
        OffsetDateTime takenAt = report.takenAt() == null ? OffsetDateTime.now(clock) : report.takenAt();
        return Node.<Node>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("node", id))
                .call(node -> {
                    node.lastInventoryAt = takenAt;
                    node.lastInventory = toJson(report.disks());
                    node.inventoryRequested = false;
                    return outbox.publish(EventCatalog.NODE_INVENTORY_REPORTED, new NodeInventoryReported(
                            node.id.toString(), node.mac, report.hostname(), takenAt, report.disks()));
                });
    }

    /** Asks the node to boot into inventory mode next time it boots from the network. */
    @WithTransaction
    public Uni<Node> requestInventory(UUID id) {
        return Node.<Node>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("node", id))
                .invoke(node -> node.inventoryRequested = true);
    }

    /** The size of a disk the node last reported, or empty when it has not reported that disk. */
    public Uni<OptionalLong> diskSize(UUID nodeId, String diskId) {
        return Node.<Node>findById(nodeId).map(node -> {
            if (node == null || node.lastInventory == null) {
                return OptionalLong.empty();
            }
            return fromJson(node.lastInventory).stream()
                    .filter(disk -> disk.stableId().equals(diskId))
                    .mapToLong(DiskInventory::sizeBytes)
                    .findFirst();
        });
    }

    private static String toJson(List<DiskInventory> disks) {
        try {
            return EventCodec.mapper().writeValueAsString(disks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an inventory", e);
        }
    }

    private static List<DiskInventory> fromJson(String json) {
        try {
            return EventCodec.mapper().readValue(json, new TypeReference<List<DiskInventory>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored inventory is unreadable", e);
        }
    }
}
