package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/** An operator cancelled the session; its staging area is cleaned up. */
public record CloneSessionCancelled(UUID sessionId, String reason) implements EventPayload {

    public CloneSessionCancelled {
        requireNonNull(sessionId, "sessionId is null");
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
