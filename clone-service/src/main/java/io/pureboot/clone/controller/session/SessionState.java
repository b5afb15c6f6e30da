package io.pureboot.clone.controller.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of a clone session. A staged session runs created -> provisioning -> source_armed ->
 * uploading -> uploaded -> downloading -> completed; a direct session, which has no staging, runs
 * created -> source_armed -> uploading (the source prepares and listens) -> downloading (targets
 * pull from it) -> completed. Cancel and failure are possible from every state that is not
 * terminal, and every terminal state releases the staging area.
 */
public enum SessionState {
    @JsonProperty("created") CREATED,
    /** Waiting for storage-service to provision the staging area. */
    @JsonProperty("provisioning") PROVISIONING,
    /** Staging is ready; the source boots into its capture mode. */
    @JsonProperty("source_armed") SOURCE_ARMED,
    @JsonProperty("uploading") UPLOADING,
    /** The image is complete in staging; targets run now or when the operator says so. */
    @JsonProperty("uploaded") UPLOADED,
    @JsonProperty("downloading") DOWNLOADING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("cancelled") CANCELLED,
    @JsonProperty("failed") FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }

    /** The states this one may move to. */
    public Set<SessionState> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(PROVISIONING, SOURCE_ARMED, CANCELLED, FAILED);
            case PROVISIONING -> EnumSet.of(SOURCE_ARMED, CANCELLED, FAILED);
            case SOURCE_ARMED -> EnumSet.of(UPLOADING, UPLOADED, CANCELLED, FAILED);
            case UPLOADING -> EnumSet.of(UPLOADED, DOWNLOADING, COMPLETED, CANCELLED, FAILED);
            case UPLOADED -> EnumSet.of(DOWNLOADING, COMPLETED, CANCELLED, FAILED);
            case DOWNLOADING -> EnumSet.of(COMPLETED, CANCELLED, FAILED);
            case COMPLETED, CANCELLED, FAILED -> EnumSet.noneOf(SessionState.class);
        };
    }

    public boolean canMoveTo(SessionState next) {
        return next().contains(next);
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
