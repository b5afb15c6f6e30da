package io.pureboot.clone.controller.storage;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * storage-service's internal endpoint (docs/storage.md) for a session's staging mount details (addresses and the
 * session's own credentials). Called only to answer a node that holds a token for the session;
 * the answer is relayed, never stored or logged.
 */
@RegisterRestClient(configKey = "storage-internal")
@Path("/internal/v1/staging")
@RegisterClientHeaders(StorageTokenHeader.class)
public interface StagingMountClient {

    @GET
    @Path("/{sessionId}/mount")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<StorageMountDetails> mountDetails(@PathParam("sessionId") String sessionId, @QueryParam("role") String role);
}
