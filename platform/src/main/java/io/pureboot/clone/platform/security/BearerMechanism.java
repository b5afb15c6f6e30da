package io.pureboot.clone.platform.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The one bearer mechanism of every service. {@code Authorization: Bearer <credential>} holds one of:
 * <ul>
 * <li>a JWT: verified by smallrye-jwt against the issuer's published keys ({@code mp.jwt.verify.*});</li>
 * <li>an API key ({@code pbk_}): exchanged for a JWT at the issuer (cached), which is then verified the same way, so
 * scripts keep working with their key on every service;</li>
 * <li>a node token ({@code pbn_}): handed to the node-token provider where one exists (clone-service), refused
 * elsewhere. A node identity holds only the role node, so it never opens an operator endpoint.</li>
 * </ul>
 * A request without the header stays anonymous, and role checks answer 401.
 */
@ApplicationScoped
public class BearerMechanism implements HttpAuthenticationMechanism {

    private static final String PREFIX = "Bearer ";

    private final ExchangedTokenCache exchanged;
    private final NodeTokens nodeTokens;

    public BearerMechanism(ExchangedTokenCache exchanged, NodeTokens nodeTokens) {
        this.exchanged = exchanged;
        this.nodeTokens = nodeTokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Uni.createFrom().nullItem();
        }
        String credential = header.substring(PREFIX.length()).strip();
        if (credential.startsWith(Credentials.NODE_TOKEN_PREFIX)) {
            if (!nodeTokens.accepted()) {
                return Uni.createFrom().failure(new AuthenticationFailedException("node tokens open only the node API"));
            }
            return identities.authenticate(new NodeTokenAuthenticationRequest(credential));
        }
        if (credential.startsWith(Credentials.API_KEY_PREFIX)) {
            return exchanged.tokenFor(credential).chain(jwt -> verify(identities, jwt));
        }
        return verify(identities, credential);
    }

    private static Uni<SecurityIdentity> verify(IdentityProviderManager identities, String jwt) {
        return identities.authenticate(new TokenAuthenticationRequest(new JsonWebTokenCredential(jwt)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"pureboot\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        // Before smallrye-jwt's own mechanism, which would take an API key for a malformed JWT.
        return 2000;
    }
}
