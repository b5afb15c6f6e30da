package io.pureboot.clone.controller.security.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A new operator API key: a unique name to recognise it by, and its role (viewer &lt; operator &lt; admin). */
public record ApiKeyRequest(
        @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
        @NotBlank(message = "is required")
        @Pattern(regexp = "viewer|operator|admin", message = "must be viewer, operator or admin")
        String role) {
}
