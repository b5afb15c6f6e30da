package io.pureboot.clone.controller.node.rest;

import io.pureboot.clone.controller.node.service.NodeService;
import io.pureboot.clone.controller.node.service.ReportedInventory;
import io.pureboot.clone.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Nodes", description = "Machines that boot into the PureBoot agent")
public class NodeResource {

    private final NodeService nodes;

    public NodeResource(NodeService nodes) {
        this.nodes = nodes;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Register a node", description = "409 when the MAC is already registered.")
    public Uni<Response> register(@Valid @NotNull(message = "a JSON body is required") NodeRequest request) {
        return nodes.register(request.mac(), request.name())
                .map(node -> Response.created(URI.create("/api/v1/nodes/" + node.id)).entity(NodeView.of(node)).build());
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List the registered nodes", description = "Retired nodes are left out.")
    public Uni<List<NodeView>> list() {
        return nodes.list().map(list -> list.stream().map(NodeView::of).toList());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a node", description = "A retired node too (retired_at set): sessions still name it.")
    public Uni<NodeView> get(@PathParam("id") UUID id) {
        return nodes.get(id).map(NodeView::of);
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Rename a node", description = "Only the name changes; the MAC, the inventory and the "
            + "sessions stay.")
    @APIResponse(responseCode = "200", description = "The renamed node")
    @APIResponse(responseCode = "400", description = "No name, a blank one, one of more than 255 characters or with "
            + "control characters; the answer's fields name `name` and why")
    @APIResponse(responseCode = "404", description = "No such node")
    @APIResponse(responseCode = "409", description = "The node is retired")
    public Uni<NodeView> rename(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") NodeRename request) {
        return nodes.rename(id, request.name()).map(NodeView::of);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Retire a node", description = "The node leaves the list and boots like an unknown MAC (its "
            + "local disk); its node tokens and unused boot tickets are revoked and its MAC may be registered again. "
            + "Its row stays, so the sessions it took part in still name it. Retiring a retired node changes nothing.")
    @APIResponse(responseCode = "204", description = "Retired")
    @APIResponse(responseCode = "404", description = "No such node")
    @APIResponse(responseCode = "409", description = "The node is the source or a target of a session that has not "
            + "ended (created included); the message names the session and its state")
    public Uni<Response> retire(@PathParam("id") UUID id) {
        return nodes.retire(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{id}/request-inventory")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Boot the node into inventory mode at its next network boot", description = "409 once the "
            + "node is retired.")
    public Uni<NodeView> requestInventory(@PathParam("id") UUID id) {
        return nodes.requestInventory(id).map(NodeView::of);
    }

    @PUT
    @Path("/{id}/inventory")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Record the disks of a node (an operator's import; agents use the node API)",
            description = "Stored on the node and published as io.pureboot.node.inventory-reported for the planner. "
                    + "409 once the node is retired.")
    public Uni<NodeView> reportInventory(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") InventoryReport report) {
        return nodes.reportInventory(id, new ReportedInventory(report.hostname(), report.takenAt(), report.disks()))
                .map(NodeView::of);
    }
}
