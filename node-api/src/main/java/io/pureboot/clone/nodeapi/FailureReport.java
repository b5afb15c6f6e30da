package io.pureboot.clone.nodeapi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/node/failed}: an agent gave up.
 *
 * @param code the agent's machine-readable failure code (docs/node-agent.md, exit codes)
 * @param message one line for the operator
 */
public record FailureReport(
        @NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters") String code,
        @NotBlank(message = "is required") @Size(max = 2000, message = "must be at most 2000 characters") String message) {
}
