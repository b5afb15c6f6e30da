package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * {@code POST /api/v1/node/direct/swarm/dropped}: a swarm target stopped asking one of its peers (docs/swarm.md), for
 * the audit ({@code io.pureboot.clone-session.swarm-peer-dropped}).
 *
 * @param peerNodeId the dropped peer: another target of the same session, as listed in {@code peers}
 * @param reason why, as the target's log says it (a chunk whose SHA-256 did not match, a frame that did not
 *     decompress, requests that failed in a row)
 * @param chunk the chunk the peer served wrong; null when the peer was dropped for failed requests
 */
public record DroppedPeer(
        @NotNull(message = "is required") UUID peerNodeId,
        @NotBlank(message = "is required") @PlainText(max = MAX_REASON) String reason,
        @Min(value = 0, message = "must be 0 or more") Integer chunk) {

    /** The longest reason kept (the agent cuts its own to this). */
    public static final int MAX_REASON = 1000;
}
