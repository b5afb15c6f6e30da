package io.pureboot.clone.planner.plan.service;

import io.pureboot.clone.planner.plan.CaptureLayout;
import io.pureboot.clone.planner.plan.PlanVersion;
import io.pureboot.clone.planner.session.PlannedSession;
import java.util.List;

/**
 * The outcome of one analysis: the capture layout, the new plan version of every target that has
 * reported its disks, and the targets still waiting for an inventory.
 */
public record Analysis(PlannedSession session, CaptureLayout capture, List<PlanVersion> plans,
        List<PendingTarget> pending) {

    /** A target that could not be planned yet, and why. */
    public record PendingTarget(String nodeId, String diskId, String reason) {
    }
}
