package io.pureboot.clone.planner.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a clone session is, as far as planning cares. */
public enum SessionStatus {
    /** Plans may be computed and edited; the capture layout follows the source's latest inventory. */
    @JsonProperty("defined") DEFINED,
    /** The source's image exists: the capture layout is frozen, plans may still be computed and edited. */
    @JsonProperty("source_captured") SOURCE_CAPTURED,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("cancelled") CANCELLED,
    @JsonProperty("failed") FAILED;

    public boolean closed() {
        return switch (this) {
            case DEFINED, SOURCE_CAPTURED -> false;
            case COMPLETED, CANCELLED, FAILED -> true;
        };
    }
}
