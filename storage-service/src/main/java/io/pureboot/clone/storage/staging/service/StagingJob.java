package io.pureboot.clone.storage.staging.service;

import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.staging.StagingAction;
import java.util.UUID;

/**
 * One action on one staging area, with everything the blocking part needs, copied out of the
 * transaction that claimed it.
 *
 * @param reservedBytes space promised to the backend's other areas, for the space check
 */
public record StagingJob(StagingAction action, UUID sessionId, BackendSnapshot backend, long sizeBytes,
        long lunSizeBytes, long reservedBytes, int attempt) {
}
