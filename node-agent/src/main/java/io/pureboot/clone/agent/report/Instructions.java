package io.pureboot.clone.agent.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;

/**
 * The answer of {@code GET /api/v1/node/instructions}: what this node does in its session.
 *
 * @param sessionId the clone session
 * @param mode the mode the node was booted for (clone-source-staged...)
 * @param role source or target
 * @param diskId the stable id of the disk to read or write
 * @param resizeMode none, shrink_source or grow_target
 * @param plan this target's plan, or null (sources, or targets restored as they are)
 * @param repairSource shrink_source only: when the source's read-only check finds filesystem errors, repair them
 *     (e2fsck -f -y, ntfsfix -d) instead of stopping; off unless the session asks for it, since a repair changes the
 *     source
 */
public record Instructions(String sessionId, String mode, Role role, String diskId, ResizeMode resizeMode,
        ResizePlan plan, boolean repairSource) {

    /** Instructions without the repair option (off). */
    public Instructions(String sessionId, String mode, Role role, String diskId, ResizeMode resizeMode,
            ResizePlan plan) {
        this(sessionId, mode, role, diskId, resizeMode, plan, false);
    }

    /** The node's part in the session. */
    public enum Role {
        @JsonProperty("source") SOURCE,
        @JsonProperty("target") TARGET
    }

    public Instructions {
        requireNonNull(sessionId, "session_id is null");
        requireNonNull(role, "role is null");
        requireNonNull(diskId, "disk_id is null");
        resizeMode = resizeMode == null ? ResizeMode.NONE : resizeMode;
    }
}
