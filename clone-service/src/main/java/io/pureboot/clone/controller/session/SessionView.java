package io.pureboot.clone.controller.session;

import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.StagingStatus;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** A session as operators and the live progress stream see it. */
public record SessionView(
        UUID id,
        String name,
        CloneMode cloneMode,
        SessionState state,
        String phase,
        Source source,
        List<Target> targets,
        ResizeMode resizeMode,
        boolean repairSource,
        boolean swarm,
        TargetsRun targetsRun,
        String stagingBackendId,
        String stagingPath,
        Long stagingSizeBytes,
        StagingStatus stagingStatus,
        Long imageSizeBytes,
        String manifestSha256,
        String failureReason,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** The source's part and progress. */
    public record Source(UUID nodeId, String diskId, String phase, long bytesDone, long bytesTotal,
            long rateBytesPerSecond, OffsetDateTime lastSeenAt) {
    }

    /** One target's part and progress. */
    public record Target(UUID nodeId, String diskId, TargetState state, String phase, long bytesDone, long bytesTotal,
            long rateBytesPerSecond, OffsetDateTime lastSeenAt, Integer planVersion, String failureReason) {
    }

    public static SessionView of(CloneSession session, List<SessionTarget> targets) {
        return new SessionView(session.id, session.name, session.mode, session.state,
                SessionPhase.of(session).jsonName(),
                new Source(session.sourceNodeId, session.sourceDiskId, session.sourcePhase, session.sourceBytesDone,
                        session.sourceBytesTotal, session.sourceRate, session.sourceLastSeenAt),
                targets.stream()
                        .sorted(Comparator.comparing(target -> target.nodeId))
                        .map(target -> new Target(target.nodeId, target.diskId, target.state, target.phase,
                                target.bytesDone, target.bytesTotal, target.rate, target.lastSeenAt, target.planVersion,
                                target.failureReason))
                        .toList(),
                session.resizeMode, session.repairSource, session.swarm, session.targetsRun, session.stagingBackendId,
                session.stagingPath,
                session.stagingSizeBytes, session.stagingStatus, session.imageSizeBytes, session.manifestSha256,
                session.failureReason, session.createdAt, session.updatedAt);
    }
}
