package io.pureboot.clone.events;

import static java.util.Objects.requireNonNull;

/**
 * Who caused an event: the authenticated subject (an API key's or an OIDC user's name, or {@code node:<id>}), the id
 * of the API key it signed in with (null for other credentials) and its role.
 */
public record Actor(String subject, String keyId, String role) {

    public Actor {
        requireNonNull(subject, "subject is null");
        requireNonNull(role, "role is null");
    }
}
