package io.pureboot.clone.platform.security;

import io.quarkus.arc.DefaultBean;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Exchanges an API key at clone-service's token endpoint ({@link AuthConfig#issuerUrl()}). */
@DefaultBean
@ApplicationScoped
public class RemoteApiKeyExchange implements ApiKeyExchange {

    private static final Logger LOG = Logger.getLogger(RemoteApiKeyExchange.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** clone-service's token endpoint, as this client sees it. */
    @Path("/api/v1/auth/token")
    public interface TokenClient {

        @POST
        @Produces(MediaType.APPLICATION_JSON)
        Uni<IssuedToken> exchange(@HeaderParam("Authorization") String authorization);
    }

    private final TokenClient client;

    public RemoteApiKeyExchange(AuthConfig config) {
        this.client = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.issuerUrl()))
                .connectTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build(TokenClient.class);
    }

    @Override
    public Uni<IssuedToken> exchange(String apiKey) {
        return client.exchange("Bearer " + apiKey).onFailure().transform(failure -> {
            if (failure instanceof WebApplicationException refused && refused.getResponse().getStatus() == 401) {
                return new AuthenticationFailedException("unknown API key");
            }
            // The issuer is away or broken: the caller cannot be authenticated, which is a 401 for it too.
            LOG.warnf("cannot exchange an API key at the issuer: %s", failure.toString());
            return new AuthenticationFailedException("the token issuer is unreachable", failure);
        });
    }
}
