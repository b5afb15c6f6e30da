package io.pureboot.clone.agent.report;

import java.util.List;

/**
 * The answer of {@code GET /api/v1/node/direct}.
 *
 * @param sessionId the session
 * @param source where the source listens, null until it does
 * @param targets node ids of the session's targets (the source serves only these)
 * @param sourceNeeded false once every target completed, failed or was cancelled
 */
public record DirectInfo(String sessionId, Endpoint source, List<String> targets, boolean sourceNeeded) {

    /** An address and port. */
    public record Endpoint(String address, int port) {
    }

    public DirectInfo {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }
}
