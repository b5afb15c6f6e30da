package io.pureboot.clone.nodeapi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * {@code POST /api/v1/node/source-complete}: the source's image is complete in staging.
 *
 * @param manifestSha256 SHA-256 of the manifest.json file as written, lower-case hex
 */
public record SourceComplete(
        @Positive(message = "must be positive") long imageSizeBytes,
        @NotBlank(message = "is required") @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be a hex SHA-256")
        String manifestSha256) {
}
