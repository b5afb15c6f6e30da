package io.pureboot.clone.nodeapi;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * {@code POST /api/v1/node/ticket}: the agent's first call, without a bearer token. It trades the boot ticket from its
 * kernel command line ({@code pureboot.ticket}), which works once and for minutes only, for its working node token.
 *
 * @param ticket the boot ticket, {@code pbt_} and 43 base64url characters
 */
public record BootTicketExchange(
        @NotBlank(message = "is required")
        @Pattern(regexp = "pbt_[A-Za-z0-9_-]{43}", message = "must be a boot ticket (pbt_ and 43 characters)")
        String ticket) {

    @Override
    public String toString() {
        return "BootTicketExchange[ticket=***]";
    }
}
