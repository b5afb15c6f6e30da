package io.pureboot.clone.controller.security;

import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.platform.security.Credentials;
import io.pureboot.clone.platform.security.NodeTokenAuthenticationRequest;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * Turns a node token into an identity by looking up its hash (kept for a few seconds by {@link NodeTokenCache}, so
 * that a node's frequent progress reports cost no query each). The identity holds only the role node: it opens the
 * node API and no operator endpoint.
 */
@ApplicationScoped
public class NodeTokenIdentityProvider implements IdentityProvider<NodeTokenAuthenticationRequest> {

    private final Clock clock;
    private final NodeTokenCache cache;

    public NodeTokenIdentityProvider(Clock clock, NodeTokenCache cache) {
        this.clock = clock;
        this.cache = cache;
    }

    @Override
    public Class<NodeTokenAuthenticationRequest> getRequestType() {
        return NodeTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(NodeTokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String hash = Credentials.hash(request.token());
        return cache.get(hash).map(caller -> Uni.createFrom().item(identity(caller)))
                .orElseGet(() -> Panache.withSession(() -> NodeToken.<NodeToken>findById(hash))
                        .map(token -> lookedUp(hash, token)));
    }

    private SecurityIdentity lookedUp(String hash, NodeToken token) {
        if (token == null || token.expiresAt.isBefore(OffsetDateTime.now(clock))) {
            throw new AuthenticationFailedException("unknown or expired node token");
        }
        NodeCaller caller = new NodeCaller(token.nodeId, token.sessionId,
                NodeRole.valueOf(token.role.toUpperCase(Locale.ROOT)));
        cache.put(hash, caller, token.expiresAt);
        return identity(caller);
    }

    private static SecurityIdentity identity(NodeCaller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal("node:" + caller.nodeId()))
                .addRole(Roles.NODE)
                .addAttribute(NodeCaller.ATTRIBUTE, caller)
                .build();
    }
}
