package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.List;
import java.util.UUID;

/** A clone session was created or its definition (source, targets, resize mode) changed. */
public record CloneSessionDefined(
        UUID sessionId,
        CloneMode mode,
        String sourceNodeId,
        String sourceDiskId,
        List<TargetRef> targets,
        ResizeMode resizeMode,
        String storageBackendId) implements EventPayload {

    public CloneSessionDefined {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(resizeMode, "resizeMode is null");
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
