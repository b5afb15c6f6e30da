package io.pureboot.clone.events.session;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;
import java.util.UUID;

/**
 * A target of a swarm session stopped taking chunks from one of its peers (docs/swarm.md): the peer served a chunk
 * whose SHA-256 did not match the source's, or one that did not decompress, or failed requests in a row. The peer is
 * another target of the same session (clone-service checked it); the chunk came from the source instead.
 *
 * @param targetNodeId the target that dropped the peer (and reported it)
 * @param peerNodeId the dropped peer
 * @param reason the reporting target's words
 * @param chunk the chunk the peer served wrong; null when it was dropped for failed requests
 */
public record CloneSessionSwarmPeerDropped(UUID sessionId, String targetNodeId, String peerNodeId, String reason,
        Integer chunk) implements EventPayload {

    public CloneSessionSwarmPeerDropped {
        requireNonNull(sessionId, "sessionId is null");
        requireNonNull(targetNodeId, "targetNodeId is null");
        requireNonNull(peerNodeId, "peerNodeId is null");
        requireNonNull(reason, "reason is null");
        if (chunk != null && chunk < 0) {
            throw new IllegalArgumentException("chunk is negative: " + chunk);
        }
    }

    @Override
    public String subject() {
        return sessionId.toString();
    }
}
