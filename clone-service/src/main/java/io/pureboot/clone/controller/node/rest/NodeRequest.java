package io.pureboot.clone.controller.node.rest;

import io.pureboot.clone.controller.node.MacAddress;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Registers a node. */
public record NodeRequest(
        @NotNull(message = "is required")
        @Pattern(regexp = MacAddress.PATTERN, message = "must be a MAC address like 52:54:00:12:34:56")
        String mac,
        @NotBlank(message = "is required") @PlainText String name) {
}
