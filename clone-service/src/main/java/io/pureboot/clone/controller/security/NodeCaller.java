package io.pureboot.clone.controller.security;

import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.platform.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.UUID;

/** Who an authenticated node API call comes from: the token's node, session (null for inventory) and role. */
public record NodeCaller(UUID nodeId, UUID sessionId, NodeRole role) {

    static final String ATTRIBUTE = "pureboot.node-caller";

    /** The caller of the current request; only for endpoints that require {@link Roles#NODE}. */
    public static NodeCaller of(SecurityIdentity identity) {
        NodeCaller caller = identity.getAttribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("the caller is not a node");
        }
        return caller;
    }
}
