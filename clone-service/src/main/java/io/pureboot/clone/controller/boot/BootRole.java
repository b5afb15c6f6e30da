package io.pureboot.clone.controller.boot;

import io.pureboot.clone.nodeapi.AgentMode;
import io.pureboot.clone.nodeapi.NodeRole;
import java.util.UUID;

/**
 * What a node boots into: a role in a session (with the agent mode and disk), inventory, or nothing.
 *
 * @param mode the agent mode named on the kernel command line ({@code pureboot.mode})
 */
public record BootRole(UUID nodeId, String nodeName, NodeRole role, UUID sessionId, AgentMode mode, String diskId) {
}
