package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.planner.plan.service.SessionPlans;
import io.pureboot.clone.planner.session.SessionStatus;
import java.util.List;
import java.util.UUID;

/** Every target of a session with its current plan, for a console listing them side by side. */
public record SessionPlansView(UUID sessionId, ResizeMode resizeMode, SessionStatus status, String sourceNodeId,
        String sourceDiskId, List<TargetPlanView> targets) {

    /**
     * One target.
     *
     * @param inventoryReported whether the planner has the target disk's inventory (needed to plan it)
     * @param plan the current plan, or null before the first analysis that could plan it
     */
    public record TargetPlanView(String nodeId, String diskId, boolean inventoryReported, PlanView plan) {
    }

    static SessionPlansView of(SessionPlans plans) {
        var session = plans.session();
        return new SessionPlansView(session.sessionId, session.resizeMode, session.status, session.sourceNodeId,
                session.sourceDiskId, plans.targets().stream().map(t -> new TargetPlanView(t.nodeId(), t.diskId(),
                        t.inventoryReported(), t.plan() == null ? null : PlanView.of(t.plan()))).toList());
    }
}
