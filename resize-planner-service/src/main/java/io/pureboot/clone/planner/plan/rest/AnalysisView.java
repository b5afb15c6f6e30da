package io.pureboot.clone.planner.plan.rest;

import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.planner.plan.PartitionLimits;
import io.pureboot.clone.planner.plan.service.Analysis;
import io.pureboot.clone.planner.session.SessionStatus;
import java.util.List;
import java.util.UUID;

/**
 * The answer to an analysis: the capture layout every plan starts from, the new plan of each target
 * that has reported its disks, and the targets still waiting for an inventory.
 *
 * @param captureFrozen true once the source has been captured: later analyses keep this capture layout
 */
public record AnalysisView(
        UUID sessionId,
        ResizeMode resizeMode,
        String sourceNodeId,
        String sourceDiskId,
        long sourceDiskBytes,
        boolean captureFrozen,
        List<CapturePartition> capture,
        List<PlanView> plans,
        List<PendingTarget> pendingTargets) {

    /**
     * One source partition as the image holds it.
     *
     * @param needsCheck why the source agent found this filesystem unclean (its {@code needs_check}), or null; such
     *     a partition is fixed at its full size and {@code fixed_reason} says what to do
     */
    public record CapturePartition(int partition, String filesystem, long currentSizeBytes, long captureSizeBytes,
            long minimumSizeBytes, Long maximumSizeBytes, String fixedReason, String needsCheck) {
    }

    /** A target without a plan yet, and why. */
    public record PendingTarget(String nodeId, String diskId, String reason) {
    }

    static AnalysisView of(Analysis analysis) {
        var session = analysis.session();
        var capture = analysis.capture();
        return new AnalysisView(session.sessionId, session.resizeMode, session.sourceNodeId, session.sourceDiskId,
                capture.sourceDiskBytes(), session.status == SessionStatus.SOURCE_CAPTURED,
                capture.partitions().stream().map(AnalysisView::partition).toList(),
                analysis.plans().stream().map(PlanView::of).toList(),
                analysis.pending().stream().map(p -> new PendingTarget(p.nodeId(), p.diskId(), p.reason())).toList());
    }

    private static CapturePartition partition(PartitionLimits limits) {
        return new CapturePartition(limits.number(), limits.filesystem(), limits.sizeBytes(), limits.captureSizeBytes(),
                limits.minimumSizeBytes(), limits.maximumSizeBytes(), limits.fixedReason(), limits.needsCheck());
    }
}
