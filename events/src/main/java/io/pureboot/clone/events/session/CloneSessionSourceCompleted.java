package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/** The source finished uploading its image; the staging area becomes read-only for targets. */
public record CloneSessionSourceCompleted(UUID sessionId, long imageSizeBytes, String manifestSha256)
        implements EventPayload {

    public CloneSessionSourceCompleted {
        requireNonNull(sessionId, "sessionId is null");
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
