package io.pureboot.clone.storage.staging.rest;

import io.pureboot.clone.events.validation.PlainText;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.storage.staging.service.MountRole;
import io.pureboot.clone.storage.staging.service.StagingQueries;
import io.pureboot.clone.storage.staging.service.StagingService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Service-to-service endpoints for clone-service: a session's staging area and the mount details
 * its nodes need. Every request carries the shared token: {@code Authorization: Bearer <token>} (its OpenAPI scheme:
 * {@link ServiceTokenScheme}).
 */
@Path("/internal/v1/staging/{sessionId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal: staging", description = "For clone-service only; not routed through the public origin")
public class InternalStagingResource {

    static final String SERVICE_TOKEN = "service-token";

    private final StagingService staging;
    private final StagingQueries queries;

    public InternalStagingResource(StagingService staging, StagingQueries queries) {
        this.staging = staging;
        this.queries = queries;
    }

    @GET
    @SecurityRequirement(name = SERVICE_TOKEN)
    @Operation(summary = "A session's staging area", description = "Status, path and pending work; no credentials.")
    @APIResponse(responseCode = "401", description = "Missing or wrong service token")
    @APIResponse(responseCode = "404", description = "The session has no staging area")
    public Uni<StagingView> get(@PathParam("sessionId") @PlainText String sessionId) {
        return queries.get(sessionId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("staging area of session", sessionId))
                .map(StagingView::of);
    }

    @GET
    @Path("/mount")
    @SecurityRequirement(name = SERVICE_TOKEN)
    @Operation(summary = "Mount details of a session's staging area, changing nothing", description = "Read-only once"
            + " the upload is sealed. NFS answers server, export and path; iSCSI answers portal, IQN, LUN and the"
            + " session's own CHAP credentials. Never cache or log the answer. A node's grant is the POST.")
    @APIResponse(responseCode = "401", description = "Missing or wrong service token")
    @APIResponse(responseCode = "404", description = "The session has no staging area")
    @APIResponse(responseCode = "409", description = "The area is not in a mountable state")
    public Uni<MountDetails> mountDetails(@PathParam("sessionId") @PlainText String sessionId) {
        return staging.mount(sessionId, null).map(MountDetails::of);
    }

    @POST
    @Path("/mount")
    @SecurityRequirement(name = SERVICE_TOKEN)
    @Operation(summary = "Grant a node of the session its mount", description = "A POST because it changes state:"
            + " role=source: the area must be provisioned or uploading and becomes uploading; role=target: it must be"
            + " ready or downloading and becomes downloading, read-only (each move is published as"
            + " io.pureboot.storage.staging-status-changed). Answers the mount details as GET does. Granting again"
            + " is harmless. Never cache or log the answer.")
    @APIResponse(responseCode = "400", description = "role is missing or neither source nor target")
    @APIResponse(responseCode = "401", description = "Missing or wrong service token")
    @APIResponse(responseCode = "404", description = "The session has no staging area")
    @APIResponse(responseCode = "409", description = "The area is not in a state this role may mount")
    public Uni<MountDetails> grantMount(@PathParam("sessionId") @PlainText String sessionId,
            @QueryParam("role") @PlainText String role) {
        MountRole parsed;
        if ("source".equals(role)) {
            parsed = MountRole.SOURCE;
        } else if ("target".equals(role)) {
            parsed = MountRole.TARGET;
        } else {
            return Uni.createFrom().failure(ApiException.badRequest("role", "must be source or target"));
        }
        return staging.mount(sessionId, parsed).map(MountDetails::of);
    }
}
