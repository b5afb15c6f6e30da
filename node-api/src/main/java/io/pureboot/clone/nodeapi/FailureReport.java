package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code POST /api/v1/node/failed}: an agent gave up.
 *
 * @param code the agent's machine-readable failure code (docs/node-agent.md, exit codes)
 * @param message one line for the operator
 */
public record FailureReport(
        @NotBlank(message = "is required") @PlainText(max = 64) String code,
        @NotBlank(message = "is required") @PlainText(max = 2000) String message) {
}
