package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/** Every target finished; the staging area may be cleaned up. */
public record CloneSessionCompleted(UUID sessionId, String reason) implements EventPayload {

    public CloneSessionCompleted {
        requireNonNull(sessionId, "sessionId is null");
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
