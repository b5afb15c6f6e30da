package io.pureboot.clone.controller.boot;

import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.NodeRole;
import java.util.UUID;

/**
 * What a node boots into: a role in a session (with the agent mode and disk), inventory, or nothing. The node's name
 * is not here: no script needs it, so no name can reach one.
 *
 * @param mode the agent mode named on the kernel command line ({@code pureboot.mode})
 */
public record BootRole(UUID nodeId, NodeRole role, UUID sessionId, AgentMode mode, String diskId) {
}
