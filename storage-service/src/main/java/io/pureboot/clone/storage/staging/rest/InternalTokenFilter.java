package io.pureboot.clone.storage.staging.rest;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.pureboot.clone.platform.rest.ApiError;
import io.pureboot.clone.storage.config.StorageConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every /internal path with the shared service token, compared in constant time. A filter
 * rather than a check per method, so that a new internal endpoint cannot forget it.
 */
public final class InternalTokenFilter {

    public static final String HEADER = "Authorization";
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    public InternalTokenFilter(StorageConfig config) {
        this.token = config.internalToken().getBytes(UTF_8);
        if (token.length < 16) {
            throw new IllegalStateException("pureboot.storage.internal-token must be at least 16 characters");
        }
    }

    @ServerRequestFilter
    public Response checkToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/internal/") && !path.equals("/internal")) {
            return null;
        }
        String header = request.getHeaderString(HEADER);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).strip() : null;
        if (presented != null && MessageDigest.isEqual(token, presented.getBytes(UTF_8))) {
            return null;
        }
        String message = presented == null ? "an Authorization: Bearer <service token> header is required"
                : "the service token is wrong";
        return Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(401, "Unauthorized", message, List.of())).build();
    }
}
