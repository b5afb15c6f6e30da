package io.pureboot.clone.planner.inventory.rest;

import io.pureboot.clone.events.validation.PlainText;
import io.pureboot.clone.planner.inventory.NodeDisk;
import io.pureboot.clone.planner.inventory.service.InventoryService;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/inventories")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inventories", description = "The disks each node's agent last reported")
public class InventoryResource {

    private final InventoryService inventories;

    public InventoryResource(InventoryService inventories) {
        this.inventories = inventories;
    }

    @GET
    @Path("/{nodeId}")
    @WithSession
    @Operation(summary = "The latest inventory of a node", description = "404 until the node's agent has reported.")
    public Uni<InventoryView> get(@PathParam("nodeId") @PlainText String nodeId) {
        return inventories.node(nodeId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("inventory of node", nodeId))
                .chain(node -> inventories.disks(nodeId).map(disks -> new InventoryView(node.nodeId, node.mac,
                        node.hostname, node.reportedAt, node.reportsReceived,
                        disks.stream().map(NodeDisk::toInventory).toList())));
    }
}
