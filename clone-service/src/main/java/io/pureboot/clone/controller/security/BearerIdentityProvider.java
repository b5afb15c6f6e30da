package io.pureboot.clone.controller.security;

import io.pureboot.clone.nodeapi.NodeRole;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.Clock;
import java.util.Locale;

/** Turns a bearer secret into an identity by looking up its hash: API keys and node tokens. */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final Clock clock;

    public BearerIdentityProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        String hash = Secrets.hash(secret);
        if (secret.startsWith(Secrets.NODE_TOKEN_PREFIX)) {
            return Panache.withSession(() -> NodeToken.<NodeToken>findById(hash)).map(this::nodeIdentity);
        }
        return Panache.withSession(() -> ApiKey.<ApiKey>findById(hash)).map(this::operatorIdentity);
    }

    private SecurityIdentity operatorIdentity(ApiKey key) {
        if (key == null) {
            throw new AuthenticationFailedException("unknown API key");
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(key.name))
                .addRole(key.role)
                .build();
    }

    private SecurityIdentity nodeIdentity(NodeToken token) {
        if (token == null || token.expiresAt.isBefore(OffsetDateTime.now(clock))) {
            throw new AuthenticationFailedException("unknown or expired node token");
        }
        NodeRole role = NodeRole.valueOf(token.role.toUpperCase(Locale.ROOT));
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("node:" + token.nodeId))
                .addRole(Roles.NODE)
                .addAttribute(NodeCaller.ATTRIBUTE, new NodeCaller(token.nodeId, token.sessionId, role))
                .build();
    }
}
