package io.pureboot.clone.storage.staging.rest;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.storage.staging.StagingAction;
import io.pureboot.clone.storage.staging.StagingArea;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;

/**
 * A staging area without its credentials.
 *
 * @param pendingAction provision, seal or cleanup when one is waiting or running
 * @param lastError the last failed attempt of the pending action
 */
public record StagingView(UUID sessionId, UUID backendId, BackendType backendType, StagingStatus status,
        long sizeBytes, Long lunSizeBytes, String stagingPath, boolean readOnly, String reason, String pendingAction,
        OffsetDateTime actionDueAt, int actionAttempts, String lastError, OffsetDateTime cleanupRequestedAt,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    public static StagingView of(StagingArea area) {
        StagingAction action = area.nextAction;
        return new StagingView(area.sessionId, area.backendId, area.backendType, area.status, area.sizeBytes,
                area.lunSizeBytes, area.stagingPath, area.readOnly, area.reason,
                action == null ? null : action.name().toLowerCase(Locale.ROOT), area.actionDueAt,
                area.actionAttempts, area.lastError, area.cleanupRequestedAt, area.createdAt, area.updatedAt);
    }
}
