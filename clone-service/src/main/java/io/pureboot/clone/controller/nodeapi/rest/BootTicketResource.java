package io.pureboot.clone.controller.nodeapi.rest;

import io.pureboot.clone.controller.boot.BootTickets;
import io.pureboot.clone.nodeapi.BootTicketExchange;
import io.pureboot.clone.nodeapi.NodeApiCall.Paths;
import io.pureboot.clone.nodeapi.NodeTokenGrant;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The node API's one call without a bearer token: the agent trades the boot ticket of its kernel command line for its
 * node token ({@link BootTickets}). A class of its own, because the OpenAPI document gives every operation of a
 * resource class the class's security requirement, and this one has none.
 */
@Path(Paths.BASE + Paths.TICKET)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "Node API", description = "Called by node agents with their per-node, per-session token")
public class BootTicketResource {

    private final BootTickets tickets;

    public BootTicketResource(BootTickets tickets) {
        this.tickets = tickets;
    }

    @POST
    @NoStore
    @Operation(summary = "Trade the boot ticket for this node's token (the agent's first call, no bearer token)",
            description = "The ticket of the kernel command line (pureboot.ticket) works once, within the ticket "
                    + "lifetime (15 minutes by default) after the boot script was fetched. Answers the node token for "
                    + "the ticket's node, session and role, with Cache-Control: no-store. 401 for an unknown, expired "
                    + "or used ticket; a used one is audited (boot.ticket.replayed), unless it comes with the attempt value "
                    + "of its first trade (the agent retrying a trade whose answer it lost): that is answered again, "
                    + "with a new token, until the ticket expires.")
    public Uni<NodeTokenGrant> ticket(@Valid @NotNull(message = "a JSON body is required") BootTicketExchange request) {
        return tickets.exchange(request.ticket(), request.attempt());
    }
}
