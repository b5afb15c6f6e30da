package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.session.SourceRepair;
import io.pureboot.clone.events.validation.NullableLists;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * {@code POST /api/v1/node/source-complete}: the source's image is complete in staging.
 *
 * @param manifestSha256 SHA-256 of the manifest.json file as written, lower-case hex
 * @param repairs what the agent repaired on the source before capturing it (only with {@code repair_source}); empty
 *     or absent when it repaired nothing. The record is the {@code events} module's: it travels on unchanged in
 *     {@code io.pureboot.clone-session.source-completed}
 */
public record SourceComplete(
        @Positive(message = "must be positive") long imageSizeBytes,
        @NotBlank(message = "is required") @Pattern(regexp = "^[0-9a-f]{64}$", message = "must be a hex SHA-256")
        String manifestSha256,
        @Size(max = SourceRepair.MAX_REPAIRS, message = "must list at most " + SourceRepair.MAX_REPAIRS + " repairs")
        List<@NotNull(message = "must not be null") @Valid SourceRepair> repairs) {

    public SourceComplete {
        repairs = NullableLists.copyOf(repairs);
    }

    /** A capture that repaired nothing. */
    public SourceComplete(long imageSizeBytes, String manifestSha256) {
        this(imageSizeBytes, manifestSha256, List.of());
    }
}
