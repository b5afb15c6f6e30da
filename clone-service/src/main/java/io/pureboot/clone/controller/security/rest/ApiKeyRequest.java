package io.pureboot.clone.controller.security.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A new operator API key: a unique name to recognise it by, and its role. */
public record ApiKeyRequest(
        @NotBlank(message = "is required") @Size(max = 100, message = "must be at most 100 characters") String name,
        @NotBlank(message = "is required") @Pattern(regexp = "admin|viewer", message = "must be admin or viewer")
        String role) {
}
