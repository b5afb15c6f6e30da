package io.pureboot.clone.controller.session.rest;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** A target of a new session: a registered node and the stable id of the disk to overwrite. */
public record TargetRequest(
        @NotNull(message = "is required") UUID nodeId,
        @NotBlank(message = "is required") @PlainText String diskId) {
}
