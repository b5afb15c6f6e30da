package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.security.NodeToken;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.rest.SessionView;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.session.CloneSessionCancelled;
import io.pureboot.clone.events.session.CloneSessionCompleted;
import io.pureboot.clone.events.session.CloneSessionFailed;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The guarded transitions of sessions and targets, shared by the operator API, the node API,
 * the event consumers and the deadline watcher. Runs inside the caller's transaction.
 */
@ApplicationScoped
public class SessionLifecycle {

    private final Outbox outbox;

    public SessionLifecycle(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<CloneSession> find(UUID id) {
        return CloneSession.<CloneSession>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("clone session", id));
    }

    /**
     * The session with its row locked until the transaction ends. Changes that settle a session from its targets'
     * states take this lock first: two targets completing at the same moment would otherwise each read the other as
     * still running (READ COMMITTED) and neither would complete the session.
     */
    public Uni<CloneSession> findForUpdate(UUID id) {
        return CloneSession.<CloneSession>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> ApiException.notFound("clone session", id));
    }

    public Uni<List<SessionTarget>> targets(UUID sessionId) {
        return SessionTarget.list("sessionId", sessionId);
    }

    public Uni<SessionView> view(UUID sessionId) {
        return find(sessionId).chain(session -> targets(sessionId).map(targets -> SessionView.of(session, targets)));
    }

    /**
     * Moves the session on, or fails with 409 naming the current state. Ending a session voids its
     * node tokens, closes its unfinished targets and announces the end, which releases the staging area.
     */
    public Uni<CloneSession> moveTo(CloneSession session, SessionState next, String reason) {
        if (!session.state.canMoveTo(next)) {
            return Uni.createFrom().failure(ApiException.conflict("clone session " + session.id + " is "
                    + session.state.jsonName() + " and cannot become " + next.jsonName()));
        }
        session.state = next;
        session.updatedAt = now();
        if (!next.isTerminal()) {
            return Uni.createFrom().item(session);
        }
        if (reason != null) {
            session.failureReason = reason;
        }
        return targets(session.id)
                .invoke(targets -> targets.stream().filter(target -> !target.state.isTerminal())
                        .forEach(target -> target.state = TargetState.CANCELLED))
                .chain(() -> NodeToken.delete("sessionId", session.id))
                .chain(() -> announceEnd(session, reason))
                .replaceWith(session);
    }

    /**
     * Arms the targets of a session that runs them right after the upload, once both halves are
     * true: the source reported its image complete and storage-service sealed it (status ready).
     * Before the seal a target would find the area still writable and be refused.
     */
    public Uni<CloneSession> armTargetsWhenSealed(CloneSession session) {
        boolean sealed = session.stagingStatus == StagingStatus.READY || session.stagingStatus == StagingStatus.DOWNLOADING;
        if (session.state == SessionState.UPLOADED && session.targetsRun == TargetsRun.AFTER_UPLOAD && sealed) {
            return armTargets(session);
        }
        return Uni.createFrom().item(session);
    }

    /** Lets every waiting target boot into its restore mode. */
    public Uni<CloneSession> armTargets(CloneSession session) {
        return targets(session.id)
                .invoke(targets -> targets.stream().filter(target -> target.state == TargetState.PENDING)
                        .forEach(target -> target.state = TargetState.ARMED))
                .replaceWith(session);
    }

    /**
     * Ends the session once no target is left running: completed when at least one target
     * completed (the failed ones say why), failed when none did.
     */
    public Uni<CloneSession> settleTargets(CloneSession session) {
        return targets(session.id).chain(targets -> {
            if (session.state.isTerminal() || targets.stream().anyMatch(target -> !target.state.isTerminal())) {
                return Uni.createFrom().item(session);
            }
            boolean anyCompleted = targets.stream().anyMatch(target -> target.state == TargetState.COMPLETED);
            return anyCompleted
                    ? moveTo(session, SessionState.COMPLETED, null)
                    : moveTo(session, SessionState.FAILED, "every target failed");
        });
    }

    private Uni<?> announceEnd(CloneSession session, String reason) {
        UUID id = session.id;
        return switch (session.state) {
            case COMPLETED -> outbox.publish(EventCatalog.CLONE_SESSION_COMPLETED, new CloneSessionCompleted(id, reason));
            case CANCELLED -> outbox.publish(EventCatalog.CLONE_SESSION_CANCELLED, new CloneSessionCancelled(id, reason));
            case FAILED -> outbox.publish(EventCatalog.CLONE_SESSION_FAILED, new CloneSessionFailed(id, reason));
            case CREATED, PROVISIONING, SOURCE_ARMED, UPLOADING, UPLOADED, DOWNLOADING ->
                    Uni.createFrom().voidItem();
        };
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
