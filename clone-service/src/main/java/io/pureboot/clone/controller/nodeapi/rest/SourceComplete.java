package io.pureboot.clone.controller.nodeapi.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** The source's image is complete in staging. */
public record SourceComplete(
        @Positive(message = "must be positive") long imageSizeBytes,
        @NotBlank(message = "is required") @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be a hex SHA-256")
        String manifestSha256) {
}
