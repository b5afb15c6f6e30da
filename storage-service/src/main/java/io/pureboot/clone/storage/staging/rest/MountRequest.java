package io.pureboot.clone.storage.staging.rest;

import io.pureboot.clone.storage.staging.service.MountRole;
import jakarta.validation.constraints.NotNull;

/** Who will mount: the session's source (read-write, uploading) or one of its targets (read-only). */
public record MountRequest(@NotNull(message = "is required: source or target") MountRole role) {
}
