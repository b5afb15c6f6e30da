package io.pureboot.clone.storage.backend.rest;

import io.pureboot.clone.events.storage.BackendType;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The space of a backend, measured now: NFS FSSTAT of the export, or the file system of the iSCSI
 * backing-store directory. When the measurement fails, {@code measured} is false, {@code failure}
 * and {@code message} say why and the byte counts are the last ones measured.
 *
 * @param reservedBytes promised to staging areas that have not finished their upload yet
 * @param freeForStagingBytes what a new staging area may use: available minus reserved
 * @param source nfs_fsstat or backing_store_df
 */
public record SpaceView(
        UUID backendId,
        BackendType backendType,
        boolean measured,
        ProbeFailure failure,
        String message,
        Long totalBytes,
        Long availableBytes,
        long reservedBytes,
        Long freeForStagingBytes,
        long activeStagingAreas,
        OffsetDateTime measuredAt,
        String source) {
}
