package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.List;
import java.util.UUID;

/**
 * The source finished uploading its image; the staging area becomes read-only for targets.
 *
 * @param repairs the repairs the source agent made to its filesystems before capturing them (only with
 *     {@code repair_source}); empty when it changed nothing but the shrink and grow back
 */
public record CloneSessionSourceCompleted(UUID sessionId, long imageSizeBytes, String manifestSha256,
        List<SourceRepair> repairs) implements EventPayload {

    public CloneSessionSourceCompleted {
        requireNonNull(sessionId, "sessionId is null");
        repairs = repairs == null ? List.of() : List.copyOf(repairs);
    }

    /** An image captured without repairs (the record before {@code repairs}). */
    public CloneSessionSourceCompleted(UUID sessionId, long imageSizeBytes, String manifestSha256) {
        this(sessionId, imageSizeBytes, manifestSha256, List.of());
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
