package io.pureboot.clone.nodeapi;

import static java.util.Objects.requireNonNull;

import java.time.OffsetDateTime;

/**
 * The answer of {@code POST /api/v1/node/ticket}: the node token every further call carries as
 * {@code Authorization: Bearer}, scoped to the ticket's node, session and role. Answered with
 * {@code Cache-Control: no-store}.
 */
public record NodeTokenGrant(String token, OffsetDateTime expiresAt) {

    public NodeTokenGrant {
        requireNonNull(token, "token is null");
        requireNonNull(expiresAt, "expires_at is null");
    }

    @Override
    public String toString() {
        return "NodeTokenGrant[token=***, expiresAt=" + expiresAt + "]";
    }
}
