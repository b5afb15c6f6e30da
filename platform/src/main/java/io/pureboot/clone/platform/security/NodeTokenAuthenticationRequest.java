package io.pureboot.clone.platform.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A node token presented as a bearer credential. Only clone-service has an identity provider for it (its node API);
 * the other services refuse node tokens outright.
 */
public final class NodeTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    public NodeTokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
