package io.pureboot.clone.controller.session.machine;

import io.pureboot.clone.controller.session.machine.SessionFacts.TargetFacts;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Which party of a session missed its deadline, and the reason an operator reads: part of the {@link SessionMachine}.
 * A session waits on a node, or on storage-service, only so long; the waits that are an operator's (a session not
 * started, an image kept for targets on request) have none.
 */
final class DeadlineRules {

    private final Deadlines deadlines;

    DeadlineRules(Deadlines deadlines) {
        this.deadlines = deadlines;
    }

    /** Why the session as a whole missed a deadline (its source's or storage-service's), or empty. */
    Optional<String> missedBy(SessionFacts session, OffsetDateTime now) {
        return switch (session.state()) {
            case PROVISIONING -> missed(session.changedAt(), deadlines.storage(), now)
                    ? Optional.of("storage-service did not provision the staging area within "
                            + minutes(deadlines.storage()))
                    : Optional.empty();
            case SOURCE_ARMED -> missed(session.changedAt(), deadlines.boot(), now)
                    ? Optional.of("source node " + session.sourceNodeId() + " did not boot within "
                            + minutes(deadlines.boot()))
                    : Optional.empty();
            case UPLOADING, DOWNLOADING -> sourceSilent(session, now);
            case UPLOADED -> !SessionMachine.sealed(session.stagingStatus())
                    && missed(session.changedAt(), deadlines.storage(), now)
                    ? Optional.of("storage-service did not seal the image within " + minutes(deadlines.storage()))
                    : Optional.empty();
            case CREATED, COMPLETED, CANCELLED, FAILED -> Optional.empty();
        };
    }

    /** A running source that stopped reporting: the session cannot go on without it. */
    private Optional<String> sourceSilent(SessionFacts session, OffsetDateTime now) {
        // A source that said it stopped is still watched: it says so only once no target needs it (the session has
        // ended by then), so a source that stops earlier leaves targets that can never finish without it.
        if (!SessionMachine.sourceRuns(session.mode()).contains(session.state())) {
            return Optional.empty();
        }
        OffsetDateTime since = session.sourceLastSeenAt() == null ? session.changedAt() : session.sourceLastSeenAt();
        return missed(since, deadlines.silence(), now)
                ? Optional.of("source node " + session.sourceNodeId() + " silent since " + since + " (deadline "
                        + deadlines.silence().toSeconds() + " s)")
                : Optional.empty();
    }

    Optional<String> missedBy(TargetFacts target, OffsetDateTime now) {
        return switch (target.state()) {
            case ARMED -> missed(target.changedAt(), deadlines.boot(), now)
                    ? Optional.of("target node " + target.nodeId() + " did not boot within " + minutes(deadlines.boot()))
                    : Optional.empty();
            case DOWNLOADING -> {
                OffsetDateTime since = target.lastSeenAt() == null ? target.changedAt() : target.lastSeenAt();
                yield missed(since, deadlines.silence(), now)
                        ? Optional.of("target node " + target.nodeId() + " silent since " + since + " (deadline "
                                + deadlines.silence().toSeconds() + " s)")
                        : Optional.empty();
            }
            case PENDING, COMPLETED, FAILED, CANCELLED -> Optional.empty();
        };
    }

    private static boolean missed(OffsetDateTime since, Duration deadline, OffsetDateTime now) {
        return since != null && since.plus(deadline).isBefore(now);
    }

    private static String minutes(Duration duration) {
        return duration.toMinutes() > 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }
}
