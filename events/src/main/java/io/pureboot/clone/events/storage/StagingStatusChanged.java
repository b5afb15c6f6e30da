package io.pureboot.clone.events.storage;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/**
 * A session's staging area moved to a new status. Never carries mount credentials: nodes fetch
 * those from storage-service's internal endpoint through clone-service.
 *
 * @param stagingPath where the image lives inside the backend (export-relative directory or LUN name)
 * @param reason why, for {@code failed}; otherwise null
 */
public record StagingStatusChanged(
        UUID sessionId,
        String backendId,
        BackendType backendType,
        String stagingPath,
        StagingStatus previousStatus,
        StagingStatus status,
        Long sizeBytes,
        String reason) implements EventPayload {

    public StagingStatusChanged {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(status, "status is null");
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
