package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.List;
import java.util.UUID;

/**
 * A direct-mode source repaired its filesystems before serving them (the session asked for it with
 * {@code repair_source}). A staged source's repairs travel in {@link CloneSessionSourceCompleted}; a direct source
 * never completes an image, so its repairs are announced when it starts serving.
 *
 * @param repairs what the source agent repaired, one entry per tool run; never empty
 */
public record CloneSessionSourceRepaired(UUID sessionId, List<SourceRepair> repairs) implements EventPayload {

    public CloneSessionSourceRepaired {
        requireNonNull(sessionId, "sessionId is null");
        repairs = List.copyOf(requireNonNull(repairs, "repairs is null"));
        if (repairs.isEmpty()) {
            throw new IllegalArgumentException("a source-repaired event names at least one repair");
        }
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
