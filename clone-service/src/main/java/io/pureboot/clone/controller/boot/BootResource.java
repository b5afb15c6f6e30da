package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.platform.rest.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where iPXE asks what to boot, over plain HTTP. Open by necessity (firmware holds no secret): it answers only nodes
 * with a pending role with a boot ticket, which works once and for minutes, for one node, session and role.
 */
@Path("/api/v1/boot")
@Tag(name = "Boot", description = "iPXE scripts for network-booting nodes")
public class BootResource {

    private final BootService boot;

    public BootResource(BootService boot) {
        this.boot = boot;
    }

    @GET
    @Path("/chain.ipxe")
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The first iPXE script", description = "Give it as the DHCP boot file to iPXE (or embed it): "
            + "it chains this node's own script, /api/v1/boot/ipxe?mac=${net0/mac}, with bounded retries.")
    public String chain() {
        return boot.chainScript();
    }

    @GET
    @Path("/ipxe")
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The iPXE script for a node", description = "Chain it from the DHCP boot file: "
            + "chain http://controller/api/v1/boot/ipxe?mac=${net0/mac}. A node with a pending role boots the "
            + "deploy kernel with pureboot.server (https), .session, .mode, .disk and .ticket (a boot ticket, traded "
            + "once within minutes for the node token: POST /api/v1/node/ticket); any other boots its local disk, as "
            + "does a node whose script would carry a value that could add a line or a kernel argument. Each fetch "
            + "mints a new ticket.")
    public Uni<String> ipxe(@QueryParam("mac") String mac) {
        if (!MacAddress.isValid(mac)) {
            return Uni.createFrom().failure(ApiException.badRequest("mac", "must be a MAC address like 52:54:00:12:34:56"));
        }
        return boot.script(mac);
    }
}
