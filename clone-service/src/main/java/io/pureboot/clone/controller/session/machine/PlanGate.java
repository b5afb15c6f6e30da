package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.controller.session.machine.SessionFacts.PlanFacts;
import io.pureboot.clone.controller.session.machine.SessionFacts.TargetFacts;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Whether a target has a plan it may be restored with: a current, feasible plan for its chosen disk. Without
 * one a target would restore the source's layout as it is and fail on a smaller disk, after the source was
 * captured for nothing.
 */
public final class PlanGate {

    private PlanGate() {
    }

    /**
     * Why the target may not run with its plan, or empty when it may.
     *
     * @param sourceDiskBytes the source disk's size now, when known: a plan made for another size is outdated
     * @param targetDiskBytes the target disk's size now, when known
     */
    public static Optional<String> problem(TargetFacts target, ResizeMode resizeMode, OptionalLong sourceDiskBytes,
            OptionalLong targetDiskBytes) {
        Optional<String> stored = problem(target, resizeMode);
        if (stored.isPresent()) {
            return stored;
        }
        PlanFacts facts = target.plan();
        ResizePlan plan = facts.plan();
        if (sourceDiskBytes.isPresent() && sourceDiskBytes.getAsLong() != plan.sourceDiskBytes()) {
            return Optional.of("plan version " + facts.version() + " is outdated: it was made for a source disk of "
                    + plan.sourceDiskBytes() + " bytes and the source now reports " + sourceDiskBytes.getAsLong());
        }
        if (targetDiskBytes.isEmpty()) {
            return Optional.of("plan version " + facts.version() + " is outdated: the node no longer reports disk "
                    + target.diskId() + " in its inventory");
        }
        if (targetDiskBytes.getAsLong() != plan.targetDiskBytes()) {
            return Optional.of("plan version " + facts.version() + " is outdated: it was made for a target disk of "
                    + plan.targetDiskBytes() + " bytes and the node now reports " + targetDiskBytes.getAsLong());
        }
        return Optional.empty();
    }

    /** Why the plan as stored may not be used (missing, another disk, infeasible, another resize mode), or empty. */
    public static Optional<String> problem(TargetFacts target, ResizeMode resizeMode) {
        PlanFacts facts = target.plan();
        if (facts == null) {
            return Optional.of("no plan yet for disk " + target.diskId() + ": the planner makes one once the source's "
                    + "and this target's inventories are known (POST /api/v1/clone-sessions/{id}/analyze runs it again)");
        }
        if (!facts.diskId().equals(target.diskId())) {
            return Optional.of("plan version " + facts.version() + " is for disk " + facts.diskId() + ", not the chosen "
                    + "disk " + target.diskId() + ": analyze the session again");
        }
        ResizePlan plan = facts.plan();
        if (!plan.feasible()) {
            return Optional.of("plan version " + facts.version() + " is infeasible: " + reasons(plan));
        }
        if (plan.resizeMode() != resizeMode) {
            return Optional.of("plan version " + facts.version() + " is outdated: it was made for resize mode "
                    + plan.resizeMode().name().toLowerCase(Locale.ROOT) + " and the session now uses "
                    + resizeMode.name().toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    /** The planner's own words: its message and every rule the plan breaks. */
    private static String reasons(ResizePlan plan) {
        String violations = plan.violations().stream().map(PlanViolation::message).collect(Collectors.joining("; "));
        if (plan.errorMessage() == null || plan.errorMessage().isBlank()) {
            return violations.isEmpty() ? "the planner gave no reason" : violations;
        }
        return violations.isEmpty() || violations.equals(plan.errorMessage()) ? plan.errorMessage()
                : plan.errorMessage() + " (" + violations + ")";
    }
}
