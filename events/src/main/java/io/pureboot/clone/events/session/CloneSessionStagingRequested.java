package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/** A staged session was started: storage-service is asked to provision its staging area. */
public record CloneSessionStagingRequested(UUID sessionId, String storageBackendId, long sizeBytes)
        implements EventPayload {

    public CloneSessionStagingRequested {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(storageBackendId, "storageBackendId is null");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes must be positive: " + sizeBytes);
        }
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
