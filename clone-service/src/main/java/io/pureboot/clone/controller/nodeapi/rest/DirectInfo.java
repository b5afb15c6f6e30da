package io.pureboot.clone.controller.nodeapi.rest;

import io.pureboot.clone.controller.security.NodeRole;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/node/direct}: where the session's source listens and whom it serves.
 *
 * @param source the source's endpoint, null until it listens
 * @param targets the node ids of the session's targets (the only certificates the source serves)
 * @param sourceNeeded false once every target has completed, failed or been cancelled
 */
public record DirectInfo(UUID sessionId, NodeRole role, Endpoint source, List<UUID> targets, boolean sourceNeeded) {

    /** An address and port. */
    public record Endpoint(String address, int port) {
    }
}
