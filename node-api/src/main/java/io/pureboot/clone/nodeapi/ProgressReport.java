package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * {@code POST /api/v1/node/progress}: what an agent reports every couple of seconds.
 *
 * @param bytesDone bytes of the disk done (skipped free space counts as done)
 * @param bytesTotal bytes of the phase; 0 while unknown, and then nothing can be done yet
 * @param rateBytesPerSecond measured over the last interval
 *
 * <p>A report whose phase is not its node's role ({@link ProgressPhase#isFor}) is refused by clone-service, which
 * knows the role from the token.
 */
public record ProgressReport(
        @NotNull(message = "is required") ProgressPhase phase,
        @PositiveOrZero(message = "must not be negative") long bytesDone,
        @PositiveOrZero(message = "must not be negative") long bytesTotal,
        @PositiveOrZero(message = "must not be negative") long rateBytesPerSecond) {

    /** Bytes done never exceed the total (a total of 0, unknown, allows none). Named so the error names the field. */
    @JsonIgnore
    @AssertTrue(message = "must not exceed bytes_total")
    public boolean isBytesDone() {
        return bytesDone <= bytesTotal || bytesDone < 0;
    }
}
