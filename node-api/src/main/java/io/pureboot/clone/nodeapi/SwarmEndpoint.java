package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /api/v1/node/direct/swarm}: a direct target's swarm chunk server listens here (docs/swarm.md).
 *
 * @param address an IP literal the session's other targets can reach
 * @param port the TCP port
 */
public record SwarmEndpoint(
        @NotBlank(message = "is required") @PlainText(max = 45) String address,
        @NotNull(message = "is required") @Min(value = 1, message = "must be between 1 and 65535")
        @Max(value = 65535, message = "must be between 1 and 65535") Integer port) {
}
