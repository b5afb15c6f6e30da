package io.pureboot.clone.controller.nodeapi.rest;

import io.pureboot.clone.controller.direct.service.DirectNodeService;
import io.pureboot.clone.controller.node.service.NodeService;
import io.pureboot.clone.controller.node.service.ReportedInventory;
import io.pureboot.clone.controller.nodeapi.service.NodeReports;
import io.pureboot.clone.controller.security.NodeCaller;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.storage.StagingMountClient;
import io.pureboot.clone.controller.storage.StorageMountDetails;
import io.pureboot.clone.nodeapi.DirectCertificate;
import io.pureboot.clone.nodeapi.DirectCertificateRequest;
import io.pureboot.clone.nodeapi.DirectInfo;
import io.pureboot.clone.nodeapi.DirectListening;
import io.pureboot.clone.nodeapi.DroppedPeer;
import io.pureboot.clone.nodeapi.FailureReport;
import io.pureboot.clone.nodeapi.Instructions;
import io.pureboot.clone.nodeapi.InventoryReport;
import io.pureboot.clone.nodeapi.NodeApiCall.Paths;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.ProgressReport;
import io.pureboot.clone.nodeapi.SourceComplete;
import io.pureboot.clone.nodeapi.StagingGrant;
import io.pureboot.clone.nodeapi.SwarmEndpoint;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The API node agents call: first the ticket from their kernel command line is traded for a token
 * ({@link BootTicketResource}), then every call carries that token and acts on its own node, session and role only.
 * Contract: the node-api module's {@code NodeApiCall} (exactly its calls,
 * checked by NodeApiResourceContractTest) and docs/node-agent.md. No GET here changes state.
 */
@Path(Paths.BASE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.NODE)
@Tag(name = "Node API", description = "Called by node agents with their per-node, per-session token")
public class NodeApiResource {

    private final SecurityIdentity identity;
    private final NodeReports reports;
    private final NodeService nodes;
    private final StagingMountClient staging;
    private final DirectNodeService direct;

    public NodeApiResource(SecurityIdentity identity, NodeReports reports, NodeService nodes,
            @RestClient StagingMountClient staging, DirectNodeService direct) {
        this.identity = identity;
        this.reports = reports;
        this.nodes = nodes;
        this.staging = staging;
        this.direct = direct;
    }

    @GET
    @Path(Paths.INSTRUCTIONS)
    @Operation(summary = "What this node is to do: mode, disk, resize mode and this target's plan")
    public Uni<Instructions> instructions() {
        return reports.instructions(caller());
    }

    @POST
    @Path(Paths.STAGING)
    @Operation(summary = "Grant this node its session's staging mount: how to reach the staging area",
            description = "Granted by storage-service for this session and role only: the source's grant moves the "
                    + "area to uploading, a target's to downloading (read-only). Carries the session's CHAP "
                    + "credentials. Asking again is harmless. 409 while the area cannot be mounted.")
    public Uni<StagingGrant> staging() {
        NodeCaller caller = caller();
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().failure(ApiException.forbidden("an inventory token has no staging area"));
        }
        // Asking for the instructions first refuses ended sessions before storage-service is bothered.
        return reports.instructions(caller).chain(() -> staging.grantMount(caller.sessionId().toString(),
                caller.role().jsonName()))
                .map(StorageMountDetails::toGrant)
                .onFailure(WebApplicationException.class).transform(NodeApiResource::stagingRefusal)
                // storage-service down or unreachable: the node retries, as it does for any 503.
                .onFailure(failure -> !(failure instanceof WebApplicationException) && !(failure instanceof ApiException))
                .transform(failure -> ApiException.unavailable("storage-service cannot be reached now; retry later"));
    }

    @POST
    @Path(Paths.INVENTORY)
    @Operation(summary = "Report this node's disks")
    public Uni<Response> inventory(@Valid @NotNull(message = "a JSON body is required") InventoryReport request) {
        return nodes.reportInventory(caller().nodeId(), new ReportedInventory(request.hostname(), null, request.disks()))
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.PROGRESS)
    @Operation(summary = "Report progress (phase, bytes, rate)", description = "Every couple of seconds; "
            + "a node silent past its deadline fails its part.")
    public Uni<Response> progress(@Valid @NotNull(message = "a JSON body is required") ProgressReport report) {
        return reports.progress(caller(), new SessionInput.Progress(report.phase(), report.bytesDone(),
                report.bytesTotal(), report.rateBytesPerSecond())).replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.SOURCE_COMPLETE)
    @Operation(summary = "The source's image is complete in staging")
    public Uni<Response> sourceComplete(@Valid @NotNull(message = "a JSON body is required") SourceComplete report) {
        return reports.sourceComplete(caller(), new NodeReports.ImageComplete(report.imageSizeBytes(),
                report.manifestSha256(), report.repairs())).replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.COMPLETE)
    @Operation(summary = "This target restored its disk, or a direct source served every target",
            description = "A staged source reports source-complete instead (403 here).")
    public Uni<Response> complete() {
        return reports.complete(caller()).replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.FAILED)
    @Operation(summary = "This node gave up", description = "A failed source fails the session; a failed target "
            + "fails its own part only.")
    public Uni<Response> failed(@Valid @NotNull(message = "a JSON body is required") FailureReport report) {
        return reports.failed(caller(), new NodeReports.Failure(report.code(), report.message()))
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.DIRECT_CERTIFICATE)
    @Operation(summary = "A direct-mode certificate for this node and session",
            description = "Issued by the service's CA for the public key of the node's PKCS#10 request (csr_pem, "
                    + "signed with the node's own EC P-256 key, which never leaves the node). The source's names its "
                    + "address (required in the body); every certificate names the session, role and node as "
                    + "urn:pureboot:session:<session>:<role>:<node>. 409 for an ended session, and for a staged one except "
                    + "to the targets of a staged session with the swarm option.")
    public Uni<DirectCertificate> directCertificate(
            @Valid @NotNull(message = "a JSON body is required") DirectCertificateRequest request) {
        return direct.certificate(caller(), request.address(), request.csrPem());
    }

    @POST
    @Path(Paths.DIRECT_LISTENING)
    @Operation(summary = "The direct source listens", description = "Only the source; the address must be the one "
            + "in its certificate. Arms the session's targets. The repairs it made to the source before serving it "
            + "(repair_source) reach the audit in io.pureboot.clone-session.source-repaired.")
    public Uni<Response> directListening(@Valid @NotNull(message = "a JSON body is required") DirectListening request) {
        return direct.listening(caller(), request.address(), request.port(), request.repairs())
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.DIRECT_SWARM)
    @Operation(summary = "A swarm target's chunk server listens", description = "Only a target (of a direct "
            + "session, or of a staged session with the swarm option); address is an IP literal. The session's "
            + "other targets find it in peers of GET /api/v1/node/direct and check it by the node its certificate "
            + "names (docs/swarm.md).")
    public Uni<Response> directSwarm(@Valid @NotNull(message = "a JSON body is required") SwarmEndpoint request) {
        return direct.swarmListening(caller(), request.address(), request.port())
                .replaceWith(Response.noContent().build());
    }

    @POST
    @Path(Paths.DIRECT_SWARM_DROPPED)
    @Operation(summary = "A swarm target dropped a peer", description = "Only a target; peer_node_id must be another "
            + "target of the same session (422 otherwise). The target stopped taking chunks from that peer: it served "
            + "a chunk whose SHA-256 did not match the source's (chunk names it) or failed requests in a row (chunk "
            + "null). Published for the audit as io.pureboot.clone-session.swarm-peer-dropped (docs/swarm.md).")
    public Uni<Response> directSwarmDropped(@Valid @NotNull(message = "a JSON body is required") DroppedPeer request) {
        return direct.peerDropped(caller(), request.peerNodeId(), request.reason(), request.chunk())
                .replaceWith(Response.noContent().build());
    }

    @GET
    @Path(Paths.DIRECT)
    @Operation(summary = "Where the direct source listens, its targets, whether the source is still needed, and "
            + "(for a target) the other targets' swarm chunk servers; swarm: the session's option, on which its targets "
            + "run the swarm (docs/swarm.md). The targets of a staged swarm session may ask it too (source: null); "
            + "their source, never.")
    public Uni<DirectInfo> direct() {
        return direct.info(caller());
    }

    /** storage-service's 404 (no area yet) and 409 (not mountable now) reach the node as such, never as a 500. */
    private static Throwable stagingRefusal(Throwable failure) {
        int status = ((WebApplicationException) failure).getResponse().getStatus();
        return switch (status) {
            case 404 -> ApiException.conflict("the session's staging area does not exist yet");
            case 409 -> ApiException.conflict("the session's staging area cannot be mounted now; retry later");
            default -> failure;
        };
    }

    private NodeCaller caller() {
        return NodeCaller.of(identity);
    }
}
