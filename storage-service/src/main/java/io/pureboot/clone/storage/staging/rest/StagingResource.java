package io.pureboot.clone.storage.staging.rest;

import io.pureboot.clone.platform.security.Roles;
import io.pureboot.clone.storage.backend.service.BackendService;
import io.pureboot.clone.storage.staging.service.StagingQueries;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The staging areas on a backend, for operators (no credentials). */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/storage-backends/{id}/staging-areas")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Storage backends")
public class StagingResource {

    private final BackendService backends;
    private final StagingQueries staging;

    public StagingResource(BackendService backends, StagingQueries staging) {
        this.backends = backends;
        this.staging = staging;
    }

    @GET
    @Operation(summary = "List the staging areas on a backend", description = "Newest first, deleted ones included;"
            + " pending_action and last_error show provisioning or cleanup still being tried.")
    public Uni<List<StagingView>> list(@PathParam("id") UUID id) {
        return backends.get(id).chain(backend -> staging.onBackend(id))
                .map(areas -> areas.stream().map(StagingView::of).toList());
    }
}
