package io.pureboot.clone.controller.security.rest;

import io.pureboot.clone.controller.security.ApiKey;
import io.pureboot.clone.controller.security.Secrets;
import io.pureboot.clone.events.validation.PlainText;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
@Tag(name = "API keys", description = "Operator keys (admin only): viewer reads, operator runs sessions, admin also"
        + " manages backends and keys")
public class ApiKeyResource {

    private final Clock clock;

    public ApiKeyResource(Clock clock) {
        this.clock = clock;
    }

    @POST
    @WithTransaction
    @Operation(summary = "Create a key", description = "The answer holds the key; it is never shown again. 409 for a used name.")
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") ApiKeyRequest request) {
        return ApiKey.count("name", request.name()).chain(count -> {
            if (count > 0) {
                return Uni.createFrom().failure(ApiException.conflict("an API key named " + request.name() + " exists"));
            }
            String secret = Secrets.newSecret(Secrets.API_KEY_PREFIX);
            ApiKey key = new ApiKey();
            key.keyHash = Secrets.hash(secret);
            key.id = UUID.randomUUID();
            key.name = request.name();
            key.role = request.role();
            key.createdAt = OffsetDateTime.now(clock);
            return key.persist().replaceWith(Response.status(201)
                    .entity(new ApiKeyView(key.id, key.name, key.role, key.createdAt, secret)).build());
        });
    }

    @GET
    @WithSession
    @Operation(summary = "List keys (names and roles, never the keys)")
    public Uni<List<ApiKeyView>> list() {
        return ApiKey.<ApiKey>list("order by name")
                .map(keys -> keys.stream().map(key -> new ApiKeyView(key.id, key.name, key.role, key.createdAt, null)).toList());
    }

    @DELETE
    @Path("/{name}")
    @WithTransaction
    @Operation(summary = "Revoke a key", description = "The key gets no new token; a token already issued for it"
            + " stays valid until it expires (pureboot.clone.auth.token-lifetime, 10 minutes by default).")
    public Uni<Response> delete(@PathParam("name") @PlainText String name) {
        return ApiKey.delete("name", name).chain(deleted -> deleted == 0
                ? Uni.createFrom().failure(ApiException.notFound("API key", name))
                : Uni.createFrom().item(Response.noContent().build()));
    }
}
