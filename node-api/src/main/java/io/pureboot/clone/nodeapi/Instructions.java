package io.pureboot.clone.nodeapi;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.UUID;

/**
 * {@code GET /api/v1/node/instructions}: what a node's agent is to do now.
 *
 * @param sessionId the clone session; null for an inventory node
 * @param mode the agent mode the node was booted for
 * @param diskId the stable id of the disk to read or overwrite; null for an inventory node
 * @param resizeMode none, shrink_source or grow_target (none when absent)
 * @param plan this target's current resize plan, or null (sources, and targets restored as they are)
 * @param planVersion the plan's version, null without a plan
 * @param repairSource shrink_source only: when the source's read-only check finds filesystem errors, repair them
 *     (e2fsck -f -y, ntfsfix -d) instead of stopping; false unless the session asks for it, since a repair changes
 *     the source
 * @param swarm targets only: the session's targets serve each other the chunks they restored and verified, and take
 *     from each other what they can before asking the source or the staging server (docs/swarm.md); false when absent
 */
public record Instructions(UUID sessionId, AgentMode mode, NodeRole role, String diskId, ResizeMode resizeMode,
        ResizePlan plan, Integer planVersion, boolean repairSource, boolean swarm) {

    public Instructions {
        requireNonNull(mode, "mode is null");
        requireNonNull(role, "role is null");
        if (role != NodeRole.INVENTORY) {
            requireNonNull(sessionId, "session_id is null");
            requireNonNull(diskId, "disk_id is null");
        }
        if (plan == null && planVersion != null) {
            throw new IllegalArgumentException("plan_version " + planVersion + " without a plan");
        }
        resizeMode = resizeMode == null ? ResizeMode.NONE : resizeMode;
    }

    /** What an inventory node does: report its disks, in no session. */
    public static Instructions inventory() {
        return new Instructions(null, AgentMode.INVENTORY, NodeRole.INVENTORY, null, ResizeMode.NONE, null, null, false, false);
    }
}
