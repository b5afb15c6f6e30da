package io.pureboot.clone.storage.backend.rest;

import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.storage.backend.service.BackendService;
import io.pureboot.clone.storage.backend.service.ConnectivityService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/storage-backends")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storage backends", description = "NFS exports and iSCSI target hosts that hold staged images")
public class BackendResource {

    private final BackendService backends;
    private final ConnectivityService connectivity;

    public BackendResource(BackendService backends, ConnectivityService connectivity) {
        this.backends = backends;
        this.connectivity = connectivity;
    }

    @GET
    @Operation(summary = "List storage backends", description = "Secrets are never returned: has_password and"
            + " iscsi_management.has_ssh_private_key say whether one is stored.")
    public Uni<List<BackendView>> list() {
        return backends.list().map(list -> list.stream().map(BackendView::of).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a storage backend")
    @APIResponse(responseCode = "404", description = "No backend with this id")
    public Uni<BackendView> get(@PathParam("id") UUID id) {
        return backends.get(id).map(BackendView::of);
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a storage backend", description = "nfs needs nfs_server and nfs_export; iscsi needs"
            + " iscsi_target, iscsi_portal and iscsi_management (and iscsi_password with iscsi_username). Missing or"
            + " malformed fields: 400; fields of the other type or rules broken: 422; a name in use: 409.")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "400", description = "A field is missing or malformed; fields[] names each")
    @APIResponse(responseCode = "409", description = "A backend of that name exists")
    @APIResponse(responseCode = "422", description = "A field does not apply to the backend type")
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") BackendRequest request) {
        return backends.create(request).map(backend -> Response.created(URI.create("/api/v1/storage-backends/"
                + backend.id)).entity(BackendView.of(backend)).build());
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a storage backend", description = "Replaces the definition. Omitted iscsi_password"
            + " or ssh_private_key keep the stored secret; omitted enabled keeps the state. While staging areas are"
            + " active the location (server, export, portal, management) cannot change: 409.")
    @APIResponse(responseCode = "409", description = "Name in use, or location change under active staging areas")
    public Uni<BackendView> update(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") BackendRequest request) {
        return backends.update(id, request).map(BackendView::of);
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}")
    @Operation(summary = "Delete a storage backend", description = "Refused with 409 while staging areas on it are"
            + " active (anything but deleted).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "Staging areas on the backend are active")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return backends.delete(id).replaceWith(Response.noContent().build());
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Path("/{id}/test")
    @Operation(summary = "Test connectivity for real", description = "NFS: rpcbind, MOUNT of the export, FSSTAT and"
            + " write access, all over RPC from the service. iSCSI: portal, discovery, CHAP login and the target's"
            + " LUNs with their capacity, plus the target management and the backing-store space. A failure is a"
            + " 200 result with ok=false, failure (unreachable, refused, timeout, export_missing, access_denied,"
            + " not_writable, auth_failed, target_missing, management_failed, protocol_error) and the message.")
    public Uni<ConnectivityResult> test(@PathParam("id") UUID id) {
        return connectivity.test(id);
    }

    @GET
    @Path("/{id}/space")
    @Operation(summary = "Measure the space", description = "Measured now: FSSTAT of the NFS export, or df of the"
            + " iSCSI backing-store directory. reserved_bytes are promised to staging areas still being filled;"
            + " free_for_staging_bytes is what a new staging area may use. A failed measurement answers measured=false"
            + " with the reason and the last measured numbers.")
    public Uni<SpaceView> space(@PathParam("id") UUID id) {
        return connectivity.space(id);
    }
}
