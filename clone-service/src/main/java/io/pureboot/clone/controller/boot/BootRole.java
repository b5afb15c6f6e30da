package io.pureboot.clone.controller.boot;

import io.pureboot.clone.controller.security.NodeRole;
import java.util.UUID;

/**
 * What a node boots into: a role in a session (with the agent mode and disk), inventory, or nothing.
 *
 * @param mode the agent mode named on the kernel command line, e.g. clone-source-staged
 */
public record BootRole(UUID nodeId, String nodeName, NodeRole role, UUID sessionId, String mode, String diskId) {
}
