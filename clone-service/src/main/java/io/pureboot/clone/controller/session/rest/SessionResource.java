package io.pureboot.clone.controller.session.rest;

import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.session.SessionView;
import io.pureboot.clone.controller.session.service.SessionService;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/v1/clone-sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Clone sessions", description = "One source disk cloned onto one or many targets, staged or direct")
public class SessionResource {

    private final SessionService sessions;
    private final SessionChanges changes;

    public SessionResource(SessionService sessions, SessionChanges changes) {
        this.sessions = sessions;
        this.changes = changes;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Create a session", description = "422 names each field at fault: unknown nodes, a target "
            + "that is the source, a staged session without a known enabled staging backend.")
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") SessionRequest request) {
        return sessions.create(request.command())
                .map(view -> Response.created(URI.create("/api/v1/clone-sessions/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "List sessions, newest first")
    public Uni<List<SessionView>> list() {
        return sessions.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Get a session with its targets and progress")
    public Uni<SessionView> get(@PathParam("id") UUID id) {
        return sessions.get(id);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Redefine a session that has not started", description = "409 once it has started.")
    public Uni<SessionView> update(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") SessionRequest request) {
        return sessions.update(id, request.command());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Delete a session that never started or has ended", description = "409 while it runs.")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return sessions.delete(id).replaceWith(Response.noContent().build());
    }

    @POST
    @Path("/{id}/start")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Start a session", description = "Staged: requests the staging area; the source is armed "
            + "once it is provisioned. 409 unless the session is created. 422 unless the source disk is known and "
            + "every target has a current feasible plan for its chosen disk; the answer's fields name each target "
            + "(targets[i], in the order the session lists them) and why: no plan yet, the planner's reasons for an "
            + "infeasible plan, a plan for another "
            + "disk, or a plan outdated by the resize mode or a disk size that changed since.")
    public Uni<SessionView> start(@PathParam("id") UUID id) {
        return sessions.start(id);
    }

    @POST
    @Path("/{id}/start-targets")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Start the targets of a session whose image waits in staging")
    public Uni<SessionView> startTargets(@PathParam("id") UUID id) {
        return sessions.startTargets(id);
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Cancel a session", description = "Its staging area is cleaned up. 409 once it has ended.")
    public Uni<SessionView> cancel(@PathParam("id") UUID id, @Valid CancelRequest request) {
        return sessions.cancel(id, request == null ? null : request.reason());
    }

    @GET
    @Path("/{id}/progress")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Live progress (Server-Sent Events)", description = "The session now, then the session again "
            + "after each committed change of its state, phase, staging status or per-node bytes and rate, made on any "
            + "clone-service replica. Changes closer together than pureboot.clone.progress.min-interval (0.25 s) are "
            + "shown once, as the latest. 404 for an unknown session.")
    @Blocking
    public Multi<SessionView> progress(@PathParam("id") UUID id) throws Throwable {
        // An event stream sends its headers (200) as soon as the Multi is returned: an unknown session must fail before.
        VertxContextSupport.subscribeAndAwait(() -> sessions.get(id));
        return changes.follow(id, () -> sessions.get(id));
    }
}
