package io.pureboot.clone.storage.staging.service;

import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.staging.StagingAction;

/**
 * One action on one staging area, with everything the blocking part needs, copied out of the
 * transaction that claimed it.
 *
 * @param reservedBytes space promised to the backend's other areas, for the space check
 */
public record StagingJob(StagingAction action, String sessionId, BackendSnapshot backend, long sizeBytes,
        long lunSizeBytes, long reservedBytes, int attempt) {
}
