package io.pureboot.clone.events.storage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pureboot.clone.events.EventPayload;

/**
 * A storage backend was registered, updated or deleted. Carries no address or credential: consumers
 * only learn that the backend exists and whether it takes new sessions.
 */
public record StorageBackendChanged(String backendId, String name, BackendType backendType, boolean enabled,
        Change change) implements EventPayload {

    /** What happened to the backend. */
    public enum Change {
        @JsonProperty("registered") REGISTERED,
        @JsonProperty("updated") UPDATED,
        @JsonProperty("deleted") DELETED
    }

    public StorageBackendChanged {
        requireNonNull(backendId, "backendId is null");
        requireNonNull(backendType, "backendType is null");
        requireNonNull(change, "change is null");
    }

    @Override
    public String subject() {
        return backendId;
    }
}
