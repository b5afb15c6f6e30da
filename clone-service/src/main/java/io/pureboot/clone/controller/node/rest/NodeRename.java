package io.pureboot.clone.controller.node.rest;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.NotBlank;

/** Renames a node: its new name, what the console and the audit show (the MAC stays). */
public record NodeRename(@NotBlank(message = "is required") @PlainText String name) {
}
