package io.pureboot.clone.storage.backend.rest;

import io.pureboot.clone.events.storage.BackendType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The outcome of POST /storage-backends/{id}/test. A failed test is a result (200 with
 * {@code ok: false}), naming the step that failed and why; it is not an error of the request.
 *
 * @param failure the kind of the first failed check, null when ok
 * @param message the first failed check's detail, or a summary when ok
 * @param checks every step tried, in order
 * @param luns for iSCSI: the LUNs of the configured target as the initiator sees them
 */
public record ConnectivityResult(
        UUID backendId,
        BackendType backendType,
        boolean ok,
        ProbeFailure failure,
        String message,
        List<Check> checks,
        Long totalBytes,
        Long availableBytes,
        List<LunView> luns,
        OffsetDateTime testedAt,
        long durationMs) {

    /** One step of the test. */
    public record Check(String name, boolean ok, ProbeFailure failure, String detail) {
    }

    /** One logical unit of the iSCSI target. */
    public record LunView(int lun, String type, Long sizeBytes) {
    }
}
