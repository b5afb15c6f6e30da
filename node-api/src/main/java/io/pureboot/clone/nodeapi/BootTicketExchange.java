package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * {@code POST /api/v1/node/ticket}: the agent's first call, without a bearer token. It trades the boot ticket from its
 * kernel command line ({@code pureboot.ticket}), which works once and for minutes only, for its working node token.
 *
 * @param ticket the boot ticket, {@code pbt_} and 43 base64url characters
 * @param attempt a random value the agent picks once for this trade and sends again when it retries it: a trade whose
 *        answer was lost (a timeout on a slow network) is answered again, with a new token, for the same ticket and
 *        attempt while the ticket has not expired. Whoever else read the ticket from the boot script does not know
 *        the attempt (it travels only over TLS), so a replay is still refused. Optional (older agents send none and
 *        cannot retry a lost answer).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BootTicketExchange(
        @NotBlank(message = "is required")
        @Pattern(regexp = "pbt_[A-Za-z0-9_-]{43}", message = "must be a boot ticket (pbt_ and 43 characters)")
        String ticket,
        @Pattern(regexp = "[A-Za-z0-9_-]{22,64}", message = "must be 22 to 64 base64url characters")
        String attempt) {

    /** A trade without an attempt: it cannot be retried once the ticket is used. */
    public BootTicketExchange(String ticket) {
        this(ticket, null);
    }

    @Override
    public String toString() {
        return "BootTicketExchange[ticket=***, attempt=" + (attempt == null ? "none" : "***") + "]";
    }
}
