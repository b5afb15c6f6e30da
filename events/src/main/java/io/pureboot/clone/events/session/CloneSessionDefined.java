package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.List;
import java.util.UUID;

/**
 * A clone session was created or its definition (source, targets, resize mode) changed.
 *
 * @param repairSource shrink_source only: the operator allowed the source agent to repair filesystem errors its
 *     read-only check finds (so the audit records who allowed a change to the source)
 * @param swarm direct only: the session's targets serve each other the chunks they wrote (docs/swarm.md)
 */
public record CloneSessionDefined(
        UUID sessionId,
        CloneMode mode,
        String sourceNodeId,
        String sourceDiskId,
        List<TargetRef> targets,
        ResizeMode resizeMode,
        String storageBackendId,
        boolean repairSource,
        boolean swarm) implements EventPayload {

    public CloneSessionDefined {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(resizeMode, "resizeMode is null");
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A definition without the repair option (the record before {@code repairSource}). */
    public CloneSessionDefined(UUID sessionId, CloneMode mode, String sourceNodeId, String sourceDiskId,
            List<TargetRef> targets, ResizeMode resizeMode, String storageBackendId) {
        this(sessionId, mode, sourceNodeId, sourceDiskId, targets, resizeMode, storageBackendId, false, false);
    }

    /** A definition without the swarm option (the record before {@code swarm}). */
    public CloneSessionDefined(UUID sessionId, CloneMode mode, String sourceNodeId, String sourceDiskId,
            List<TargetRef> targets, ResizeMode resizeMode, String storageBackendId, boolean repairSource) {
        this(sessionId, mode, sourceNodeId, sourceDiskId, targets, resizeMode, storageBackendId, repairSource, false);
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
