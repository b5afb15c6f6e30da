package io.pureboot.clone.controller.security.token;

import io.pureboot.clone.controller.security.ApiKey;
import io.pureboot.clone.platform.security.ApiKeyExchange;
import io.pureboot.clone.platform.security.Credentials;
import io.pureboot.clone.platform.security.IssuedToken;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** clone-service is the issuer: it exchanges API keys itself, for its own endpoints and for the token endpoint. */
@ApplicationScoped
public class LocalApiKeyExchange implements ApiKeyExchange {

    private final TokenIssuer issuer;

    public LocalApiKeyExchange(TokenIssuer issuer) {
        this.issuer = issuer;
    }

    @Override
    public Uni<IssuedToken> exchange(String apiKey) {
        if (!apiKey.startsWith(Credentials.API_KEY_PREFIX)) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not an API key"));
        }
        return Panache.withSession(() -> ApiKey.<ApiKey>findById(Credentials.hash(apiKey))).chain(key -> key == null
                ? Uni.createFrom().failure(new AuthenticationFailedException("unknown API key"))
                : issuer.issue(key));
    }
}
