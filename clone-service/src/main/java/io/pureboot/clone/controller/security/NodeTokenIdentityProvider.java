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
 * Turns a node token into an identity by looking up its hash. The identity holds only the role node: it opens the
 * node API and no operator endpoint.
 */
@ApplicationScoped
public class NodeTokenIdentityProvider implements IdentityProvider<NodeTokenAuthenticationRequest> {

    private final Clock clock;

    public NodeTokenIdentityProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Class<NodeTokenAuthenticationRequest> getRequestType() {
        return NodeTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(NodeTokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String hash = Credentials.hash(request.token());
        return Panache.withSession(() -> NodeToken.<NodeToken>findById(hash)).map(this::nodeIdentity);
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
