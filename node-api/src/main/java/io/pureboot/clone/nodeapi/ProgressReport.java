package io.pureboot.clone.nodeapi;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * {@code POST /api/v1/node/progress}: what an agent reports every couple of seconds.
 *
 * @param bytesDone bytes of the disk done (skipped free space counts as done)
 * @param rateBytesPerSecond measured over the last interval
 */
public record ProgressReport(
        @NotNull(message = "is required") ProgressPhase phase,
        @PositiveOrZero(message = "must not be negative") long bytesDone,
        @PositiveOrZero(message = "must not be negative") long bytesTotal,
        @PositiveOrZero(message = "must not be negative") long rateBytesPerSecond) {
}
