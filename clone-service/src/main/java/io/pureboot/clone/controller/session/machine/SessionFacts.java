package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.StagingStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What the {@link SessionMachine} knows of a session: its state and the facts its rules read, nothing else.
 * Immutable; the machine answers with a new one.
 *
 * @param changedAt when the session last changed (an armed source's boot deadline counts from it)
 * @param sourceLastSeenAt the source's last report, or null before its first
 * @param sourceDone the source said its part is done (a staged source's image is complete, a direct source stopped)
 * @param directAddress the address in a direct source's certificate, or null before it asked for one
 * @param swarm the session's swarm option: its targets serve each other (docs/swarm.md)
 */
public record SessionFacts(
        UUID id,
        UUID sourceNodeId,
        String sourceDiskId,
        CloneMode mode,
        ResizeMode resizeMode,
        TargetsRun targetsRun,
        boolean swarm,
        SessionState state,
        StagingStatus stagingStatus,
        String manifestSha256,
        String directAddress,
        boolean sourceDone,
        OffsetDateTime changedAt,
        OffsetDateTime sourceLastSeenAt,
        String failureReason,
        List<TargetFacts> targets) {

    public SessionFacts {
        targets = List.copyOf(targets);
    }

    /**
     * One target.
     *
     * @param changedAt when the target entered its state (an armed target's boot deadline counts from it)
     * @param lastSeenAt the target's last report, or null before its first
     * @param plan the latest plan clone-service received for this target, or null
     */
    public record TargetFacts(UUID nodeId, String diskId, TargetState state, OffsetDateTime changedAt,
            OffsetDateTime lastSeenAt, String failureReason, PlanFacts plan) {

        TargetFacts moveTo(TargetState next, OffsetDateTime at, String reason) {
            return new TargetFacts(nodeId, diskId, next, at, lastSeenAt, reason == null ? failureReason : reason, plan);
        }

        TargetFacts seenAt(OffsetDateTime at) {
            return new TargetFacts(nodeId, diskId, state, changedAt, at, failureReason, plan);
        }
    }

    /**
     * A plan as the planner published it, keyed by (session, node, disk).
     *
     * @param diskId the target disk the plan was made for
     */
    public record PlanFacts(String diskId, int version, ResizePlan plan) {
    }

    public TargetFacts target(UUID nodeId) {
        return targets.stream().filter(target -> target.nodeId().equals(nodeId)).findFirst().orElse(null);
    }

    SessionFacts withState(SessionState next, OffsetDateTime at, String reason) {
        return new SessionFacts(id, sourceNodeId, sourceDiskId, mode, resizeMode, targetsRun, swarm,
                next, stagingStatus, manifestSha256, directAddress,
                sourceDone, at, sourceLastSeenAt, reason == null ? failureReason : reason, targets);
    }

    SessionFacts withStaging(StagingStatus status, OffsetDateTime at) {
        return new SessionFacts(id, sourceNodeId, sourceDiskId, mode, resizeMode, targetsRun, swarm,
                state, status, manifestSha256, directAddress,
                sourceDone, at, sourceLastSeenAt, failureReason, targets);
    }

    SessionFacts withSource(OffsetDateTime seenAt, String manifest, boolean done) {
        return new SessionFacts(id, sourceNodeId, sourceDiskId, mode, resizeMode, targetsRun, swarm,
                state, stagingStatus, manifest, directAddress,
                done, changedAt, seenAt, failureReason, targets);
    }

    SessionFacts withTargets(UnaryOperator<TargetFacts> change) {
        return new SessionFacts(id, sourceNodeId, sourceDiskId, mode, resizeMode, targetsRun, swarm,
                state, stagingStatus, manifestSha256, directAddress,
                sourceDone, changedAt, sourceLastSeenAt, failureReason, targets.stream().map(change).toList());
    }

    SessionFacts withTarget(UUID nodeId, UnaryOperator<TargetFacts> change) {
        return withTargets(target -> target.nodeId().equals(nodeId) ? change.apply(target) : target);
    }
}
