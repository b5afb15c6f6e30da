package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.List;
import java.util.UUID;

/**
 * Creates or redefines a clone session: what an operator chose, defaults already applied.
 *
 * @param stagingBackendId the storage backend of a staged session, null for a direct one
 * @param repairSource shrink_source only: the source's filesystem errors are repaired instead of stopping the capture
 * @param swarm the targets serve each other the chunks they wrote (docs/swarm.md)
 */
public record DefineSession(String name, CloneMode mode, UUID sourceNodeId, String sourceDiskId,
        List<Target> targets, String stagingBackendId, ResizeMode resizeMode, TargetsRun targetsRun,
        boolean repairSource, boolean swarm) {

    public DefineSession {
        targets = List.copyOf(targets);
    }

    /** A target: a registered node and the stable id of the disk to overwrite. */
    public record Target(UUID nodeId, String diskId) {
    }
}
