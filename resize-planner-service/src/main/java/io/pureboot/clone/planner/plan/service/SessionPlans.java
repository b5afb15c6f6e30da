package io.pureboot.clone.planner.plan.service;

import io.pureboot.clone.planner.plan.PlanVersion;
import io.pureboot.clone.planner.session.PlannedSession;
import java.util.List;

/** Every target of a session with its current plan (null before the first analysis). */
public record SessionPlans(PlannedSession session, List<TargetPlan> targets) {

    /** One target: whether its disks are known, and its current plan. */
    public record TargetPlan(String nodeId, String diskId, boolean inventoryReported, PlanVersion plan) {
    }
}
