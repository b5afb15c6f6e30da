package io.pureboot.clone.platform.security;

import io.smallrye.mutiny.Uni;

/**
 * Exchanges an API key for a JWT at the issuer: locally in clone-service (the issuer), over HTTP elsewhere
 * ({@link RemoteApiKeyExchange}). Fails with {@link io.quarkus.security.AuthenticationFailedException} for a key the
 * issuer does not know.
 */
public interface ApiKeyExchange {

    Uni<IssuedToken> exchange(String apiKey);
}
