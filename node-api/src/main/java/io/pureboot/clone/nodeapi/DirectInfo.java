package io.pureboot.clone.nodeapi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/node/direct}: where the session's direct source listens and whom it serves.
 *
 * @param role the caller's role
 * @param source the source's endpoint, null until it listens
 * @param targets the node ids of the session's targets (the only certificates the source serves)
 * @param sourceNeeded false once every target has completed, failed or been cancelled
 * @param peers for a target: the session's other targets whose swarm chunk servers listen (docs/swarm.md), each with
 *     its node id, which its certificate names; empty for the source and when no other target serves
 * (Whether the session uses the swarm is in the target's {@link Instructions#swarm()}, its one place.)
 */
public record DirectInfo(UUID sessionId, NodeRole role, Endpoint source, List<UUID> targets, boolean sourceNeeded,
        List<Peer> peers) {

    /** Another target's swarm chunk server. */
    public record Peer(UUID nodeId, String address, int port) {
        public Peer {
            requireNonNull(nodeId, "peers.node_id is null");
            requireNonNull(address, "peers.address is null");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("peers.port must be between 1 and 65535: " + port);
            }
        }
    }

    /** An address and port. */
    public record Endpoint(String address, int port) {
        public Endpoint {
            requireNonNull(address, "source.address is null");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("source.port must be between 1 and 65535: " + port);
            }
        }
    }

    public DirectInfo {
        requireNonNull(sessionId, "session_id is null");
        requireNonNull(role, "role is null");
        targets = targets == null ? List.of() : List.copyOf(targets);
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** Without peers (the source's answer, or a target's while no other target serves). */
    public DirectInfo(UUID sessionId, NodeRole role, Endpoint source, List<UUID> targets, boolean sourceNeeded) {
        this(sessionId, role, source, targets, sourceNeeded, List.of());
    }
}
