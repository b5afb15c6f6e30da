package io.pureboot.clone.controller.session;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The life of one target of a session. */
public enum TargetState {
    /** Waiting for the image. */
    @JsonProperty("pending") PENDING,
    /** May boot into its restore mode. */
    @JsonProperty("armed") ARMED,
    @JsonProperty("downloading") DOWNLOADING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED,
    /** The session ended (cancelled or failed) before this target finished. */
    @JsonProperty("cancelled") CANCELLED;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
