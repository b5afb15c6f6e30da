package io.pureboot.clone.controller.nodeapi.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An agent gave up: a short machine-readable code and a one-line message for the operator. */
public record FailureReport(
        @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters") String code,
        @NotBlank(message = "is required") @Size(max = 2000, message = "must be at most 2000 characters") String message) {
}
