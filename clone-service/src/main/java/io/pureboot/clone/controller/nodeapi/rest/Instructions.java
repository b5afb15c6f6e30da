package io.pureboot.clone.controller.nodeapi.rest;

import io.pureboot.clone.controller.security.NodeRole;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.UUID;

/**
 * What a node's agent is to do now.
 *
 * @param mode the agent mode: clone-source-staged, clone-target-staged, ... or inventory
 * @param diskId the stable id of the disk to read or overwrite; null in inventory mode
 * @param plan this target's latest resize plan, or null (sources, and targets without a plan)
 */
public record Instructions(UUID sessionId, String mode, NodeRole role, String diskId, ResizeMode resizeMode,
        ResizePlan plan, Integer planVersion) {
}
