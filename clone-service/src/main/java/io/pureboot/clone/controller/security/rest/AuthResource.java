package io.pureboot.clone.controller.security.rest;

import io.pureboot.clone.controller.security.token.LocalApiKeyExchange;
import io.pureboot.clone.controller.security.token.SigningKeys;
import io.pureboot.clone.platform.rest.ApiError;
import io.pureboot.clone.platform.security.Credentials;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Authentication", description = "Operators' tokens: an API key exchanged for a short-lived signed JWT,"
        + " and the keys that verify it (docs/security.md)")
public class AuthResource {

    private static final String BEARER = "Bearer ";

    /** Who is signed in, for the console. */
    public record WhoAmI(String subject, String role, String keyId) {
    }

    private final LocalApiKeyExchange exchange;
    private final SigningKeys keys;
    private final SecurityIdentity identity;

    public AuthResource(LocalApiKeyExchange exchange, SigningKeys keys, SecurityIdentity identity) {
        this.exchange = exchange;
        this.keys = keys;
        this.identity = identity;
    }

    @POST
    @Path("/token")
    @PermitAll
    @Operation(summary = "Exchange an API key for a JWT", description = "Send the API key as Authorization: Bearer"
            + " pbk_... The answer's access_token is valid for expires_in seconds on every service; ask again before"
            + " it expires. A revoked key gets no new token, and its last one ends with its lifetime.")
    @APIResponse(responseCode = "200", description = "The token")
    @APIResponse(responseCode = "401", description = "No API key, or one that does not exist (any more)")
    public Uni<Response> token(@Parameter(description = "Bearer and the API key") @HeaderParam("Authorization")
            String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || !authorization.substring(BEARER.length()).strip().startsWith(Credentials.API_KEY_PREFIX)) {
            return Uni.createFrom().item(unauthorized("an Authorization: Bearer <API key> header is required"));
        }
        return exchange.exchange(authorization.substring(BEARER.length()).strip())
                .map(issued -> Response.ok(issued).header("Cache-Control", "no-store").build())
                .onFailure(AuthenticationFailedException.class).recoverWithItem(() -> unauthorized("unknown API key"));
    }

    @GET
    @Path("/jwks")
    @PermitAll
    @Operation(summary = "The keys that verify tokens (JWKS)", description = "The previous, current and next signing"
            + " keys; verifiers re-read it now and then (every service: mp.jwt.verify.publickey.location).")
    public Uni<Response> jwks() {
        return keys.jwks().map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/whoami")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Who the caller is", description = "The subject, its highest role and the id of the API key"
            + " it signed in with (null for another credential, such as an OIDC provider's token).")
    public WhoAmI whoami() {
        String keyId = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(Credentials.KEY_ID_CLAIM) : null;
        return new WhoAmI(identity.getPrincipal().getName(), Roles.highest(identity.getRoles()), keyId);
    }

    private static Response unauthorized(String message) {
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"pureboot\"")
                .entity(new ApiError(401, "Unauthorized", message, List.of())).build();
    }
}
