package io.pureboot.clone.agent.swarm;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * Another target of the session and where its chunk server listens.
 *
 * @param nodeId the node its certificate must name
 * @param uri {@code https://<address>:<port>}
 */
public record SwarmPeer(String nodeId, URI uri) {
    public SwarmPeer {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(uri, "uri is null");
    }
}
