package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code POST /api/v1/node/direct/listening}: the direct source serves its disk here now; and
 * {@code POST /api/v1/node/direct/swarm}: a direct target's swarm chunk server listens here now.
 *
 * @param address the source's: must be the address in its certificate; a target's: an IP literal
 * @param port the TCP port
 */
public record DirectListening(
        @NotBlank(message = "is required") @PlainText(max = 45) String address,
        @NotNull(message = "is required") @Min(value = 1, message = "must be between 1 and 65535")
        @Max(value = 65535, message = "must be between 1 and 65535") Integer port) {
}
