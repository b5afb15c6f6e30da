package io.pureboot.clone.controller.security.rest;

import io.pureboot.clone.events.validation.PlainName;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** A new operator API key: a unique name to recognise it by, and its role (viewer &lt; operator &lt; admin). */
public record ApiKeyRequest(
        @NotBlank(message = "is required") @PlainName String name,
        @NotBlank(message = "is required")
        @Pattern(regexp = "viewer|operator|admin", message = "must be viewer, operator or admin")
        String role) {
}
