package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.events.validation.PlainText;
import io.pureboot.clone.planner.plan.PlanOptions;
import io.pureboot.clone.planner.plan.service.PlanService;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The seed's analysis and plan endpoints. A session has one plan per target; operations on one plan
 * take the target's node id as {@code ?target=} (and {@code &disk=} when a node is a target twice),
 * which may be left out when the session has a single target.
 */
@RolesAllowed(Roles.VIEWER)
@Path("/api/v1/clone-sessions/{sessionId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Resize plans", description = "Per-target partition plans: analysis, operator edits, history")
public class PlanResource {

    private static final String TARGET = "node id of the target; may be left out when the session has one target";
    private static final String DISK = "stable id of the target disk; needed only when the node is a target twice";

    private final PlanService plans;

    public PlanResource(PlanService plans) {
        this.plans = plans;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Path("/analyze")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compute the plan of every target again, or of one",
            description = "The planner computes each target's plan by itself once the source's and the target's "
                    + "disks are reported; this runs the analysis again, with other options if given. "
                    + "Compares the source disk with each target's disk and computes the layout the target gets. "
                    + "Without ?target= every target that has reported its disks is planned and the others are "
                    + "listed in pending_targets; the capture layout is recomputed from the source's latest "
                    + "inventory unless the source has been captured. With ?target= only that target is planned, "
                    + "from the session's current capture layout. Each new plan version is published as a resize plan "
                    + "event; a target whose computed plan is its current one keeps that version.")
    @APIResponse(responseCode = "200", description = "plans computed (each may be infeasible, with the reasons)")
    @APIResponse(responseCode = "404", description = "unknown session or target")
    @APIResponse(responseCode = "409", description = "an inventory the plan needs is missing, or the session is over")
    @APIResponse(responseCode = "415", description = "a body that is not application/json")
    @APIResponse(responseCode = "422", description = "options that do not fit the source layout")
    public Uni<AnalysisView> analyze(@PathParam("sessionId") UUID sessionId,
            @Parameter(description = TARGET) @QueryParam("target") @PlainText String target,
            @Parameter(description = DISK) @QueryParam("disk") @PlainText String disk,
            @Valid AnalyzeRequest request) {
        PlanOptions options = request == null ? PlanOptions.DEFAULT : request.options();
        return plans.analyze(sessionId, target, disk, options).map(AnalysisView::of);
    }

    /** The same analysis with default options for a POST without a JSON body ({@code curl -X POST}). */
    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Path("/analyze")
    @Operation(hidden = true)
    public Uni<AnalysisView> analyzeWithDefaults(@PathParam("sessionId") UUID sessionId,
            @QueryParam("target") @PlainText String target, @QueryParam("disk") @PlainText String disk,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @HeaderParam("Transfer-Encoding") String transferEncoding) {
        // A body of another type than JSON lands here too: refused, never ignored. Clients that send a type with no
        // body (curl -X POST, some libraries) get the defaults.
        boolean hasBody = contentLength != null && !contentLength.strip().equals("0") || transferEncoding != null;
        if (contentType != null && hasBody) {
            return Uni.createFrom().failure(ApiException.unsupportedMediaType(contentType));
        }
        return plans.analyze(sessionId, target, disk, PlanOptions.DEFAULT).map(AnalysisView::of);
    }

    @GET
    @Path("/plan")
    @Operation(summary = "A target's current plan, or one of its versions",
            description = "The seed's ResizePlan fields with the target, the version and the planner's geometry.")
    @APIResponse(responseCode = "200", description = "the plan")
    @APIResponse(responseCode = "400", description = "the session has several targets and none was chosen")
    @APIResponse(responseCode = "404", description = "unknown session, target or version, or no plan yet")
    public Uni<PlanView> plan(@PathParam("sessionId") UUID sessionId,
            @Parameter(description = TARGET) @QueryParam("target") @PlainText String target,
            @Parameter(description = DISK) @QueryParam("disk") @PlainText String disk,
            @Parameter(description = "a version from the history; the current one when left out")
            @QueryParam("version") @Min(1) Integer version) {
        return plans.plan(sessionId, target, disk, version).map(PlanView::of);
    }

    @PUT
    @RolesAllowed(Roles.OPERATOR)
    @Path("/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Edit a target's plan",
            description = "Validates the operator's plan against every rule on the server (the client's feasible "
                    + "and limits are ignored). A valid edit becomes the next version and is published; an edit "
                    + "that changes nothing returns the current version.")
    @APIResponse(responseCode = "200", description = "the new current version")
    @APIResponse(responseCode = "400", description = "malformed body, or no target chosen")
    @APIResponse(responseCode = "409", description = "no plan yet, version no longer current, or session over")
    @APIResponse(responseCode = "422", description = "the plan breaks rules: one field per violation, per partition")
    public Uni<PlanView> edit(@PathParam("sessionId") UUID sessionId,
            @Parameter(description = TARGET) @QueryParam("target") @PlainText String target,
            @Parameter(description = DISK) @QueryParam("disk") @PlainText String disk,
            @Valid @NotNull PlanEditRequest request) {
        return plans.edit(sessionId, target, disk, request.version(), request.edits()).map(PlanView::of);
    }

    @GET
    @Path("/plan/versions")
    @Operation(summary = "Every version of a target's plan, oldest first",
            description = "The history of analyses and operator edits.")
    @APIResponse(responseCode = "200", description = "the versions")
    public Uni<List<PlanView>> versions(@PathParam("sessionId") UUID sessionId,
            @Parameter(description = TARGET) @QueryParam("target") @PlainText String target,
            @Parameter(description = DISK) @QueryParam("disk") @PlainText String disk) {
        return plans.versions(sessionId, target, disk).map(rows -> rows.stream().map(PlanView::of).toList());
    }

    @GET
    @Path("/plans")
    @Operation(summary = "Every target of the session with its current plan",
            description = "Targets without a plan yet have plan null; inventory_reported says whether they can "
                    + "be planned.")
    @APIResponse(responseCode = "200", description = "the targets")
    @APIResponse(responseCode = "404", description = "unknown session")
    public Uni<SessionPlansView> all(@PathParam("sessionId") UUID sessionId) {
        return plans.plans(sessionId).map(SessionPlansView::of);
    }
}
