package io.pureboot.clone.platform.security;

import io.quarkus.security.identity.IdentityProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/** Whether this service has a provider for node tokens (only clone-service, for its node API). */
@ApplicationScoped
public class NodeTokens {

    private final boolean accepted;

    public NodeTokens(@Any Instance<IdentityProvider<NodeTokenAuthenticationRequest>> providers) {
        this.accepted = providers.isResolvable() || !providers.isUnsatisfied();
    }

    public boolean accepted() {
        return accepted;
    }
}
