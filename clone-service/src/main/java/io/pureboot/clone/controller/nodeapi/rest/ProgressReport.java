package io.pureboot.clone.controller.nodeapi.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** What an agent reports every couple of seconds. */
public record ProgressReport(
        @NotBlank(message = "is required") @Size(max = 40, message = "must be at most 40 characters") String phase,
        @PositiveOrZero(message = "must not be negative") long bytesDone,
        @PositiveOrZero(message = "must not be negative") long bytesTotal,
        @PositiveOrZero(message = "must not be negative") long rateBytesPerSecond) {
}
