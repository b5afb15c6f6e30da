package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/** The session failed as a whole; its staging area is cleaned up. */
public record CloneSessionFailed(UUID sessionId, String reason) implements EventPayload {

    public CloneSessionFailed {
        requireNonNull(sessionId, "sessionId is null");
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
