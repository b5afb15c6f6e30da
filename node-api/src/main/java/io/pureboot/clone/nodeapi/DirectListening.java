package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.events.validation.NullableLists;
import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/node/direct/listening}: the direct source serves its disk here now.
 *
 * @param address must be the address in the source's certificate
 * @param port the TCP port
 * @param repairs what the agent repaired on the source before serving it (only with {@code repair_source}); empty or
 *     absent when it repaired nothing. They travel on in {@code io.pureboot.clone-session.source-repaired}, as a
 *     staged source's do in {@code source-completed}
 */
public record DirectListening(
        @NotBlank(message = "is required") @PlainText(max = 45) String address,
        @NotNull(message = "is required") @Min(value = 1, message = "must be between 1 and 65535")
        @Max(value = 65535, message = "must be between 1 and 65535") Integer port,
        @Size(max = SourceRepair.MAX_REPAIRS, message = "must list at most " + SourceRepair.MAX_REPAIRS + " repairs")
        List<@NotNull(message = "must not be null") @Valid SourceRepair> repairs) {

    public DirectListening {
        repairs = NullableLists.copyOf(repairs);
    }

    /** A source that repaired nothing. */
    public DirectListening(String address, Integer port) {
        this(address, port, List.of());
    }
}
