package io.pureboot.clone.controller.storage;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * storage-service's internal endpoint (docs/storage.md) that grants a node of a session its staging mount: the
 * area moves on (uploading for the source, downloading for targets) and the answer carries the addresses and the
 * session's own credentials. A POST, since it changes state. Called only to answer a node that holds a token for
 * the session; the answer is relayed, never stored or logged.
 */
@RegisterRestClient(configKey = "storage-internal")
@Path("/internal/v1/staging")
@RegisterClientHeaders(StorageTokenHeader.class)
public interface StagingMountClient {

    @POST
    @Path("/{sessionId}/mount")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<StorageMountDetails> grantMount(@PathParam("sessionId") String sessionId, @QueryParam("role") String role);
}
