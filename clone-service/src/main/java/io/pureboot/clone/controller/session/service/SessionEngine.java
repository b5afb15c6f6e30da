package io.pureboot.clone.controller.session.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.security.NodeToken;
import io.pureboot.clone.controller.security.NodeTokenCache;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.machine.Deadlines;
import io.pureboot.clone.controller.session.machine.Decision;
import io.pureboot.clone.controller.session.machine.Effect;
import io.pureboot.clone.controller.session.machine.Refusal;
import io.pureboot.clone.controller.session.machine.SessionFacts;
import io.pureboot.clone.controller.session.machine.SessionFacts.PlanFacts;
import io.pureboot.clone.controller.session.machine.SessionFacts.TargetFacts;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.session.machine.SessionMachine;
import io.pureboot.clone.controller.session.SessionView;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.CloneSessionCancelled;
import io.pureboot.clone.events.session.CloneSessionCompleted;
import io.pureboot.clone.events.session.CloneSessionFailed;
import io.pureboot.clone.events.session.CloneSessionSourceCompleted;
import io.pureboot.clone.events.session.CloneSessionSourceRepaired;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.session.CloneSessionSwarmPeerDropped;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiError;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Applies the {@link SessionMachine}'s decisions: the only writer of session and target state. Each input is
 * applied to the session's locked row, its effects (node tokens voided, events through the outbox) in the same
 * transaction; after the commit, live progress hears of the change here and nowhere else. (The figures of progress
 * reports that change no state are written by {@link ProgressLedger}, under the same lock.)
 */
@ApplicationScoped
public class SessionEngine {

    private static final Logger LOG = Logger.getLogger(SessionEngine.class);

    private final SessionMachine machine;
    private final Outbox outbox;
    private final SessionChanges changes;
    private final Clock clock;
    private final NodeTokenCache tokens;

    public SessionEngine(CloneConfig config, Clock clock, Outbox outbox, SessionChanges changes,
            NodeTokenCache tokens) {
        CloneConfig.Deadlines deadlines = config.deadlines();
        this.machine = new SessionMachine(clock,
                new Deadlines(deadlines.silence(), deadlines.boot(), deadlines.storage()));
        this.outbox = outbox;
        this.changes = changes;
        this.clock = clock;
        this.tokens = tokens;
    }

    public OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }

    /** Applies one input in its own transaction; live progress hears of it after the commit when it changed. */
    public Uni<SessionView> apply(UUID sessionId, SessionInput input) {
        return Panache.withTransaction(() -> applyWithin(sessionId, input))
                .chain(changed -> changed ? announce(sessionId) : Panache.withSession(() -> view(sessionId)));
    }

    /**
     * Applies one input inside the caller's transaction (the inbox's); the caller announces after its commit.
     * Emits true when the session or a target changed.
     */
    public Uni<Boolean> applyWithin(UUID sessionId, SessionInput input) {
        return findForUpdate(sessionId).chain(session -> targets(sessionId).chain(targets -> {
            SessionFacts before = facts(session, targets);
            Decision decision;
            try {
                decision = machine.decide(before, input);
            } catch (Refusal refusal) {
                return Uni.createFrom().failure(answer(refusal));
            }
            write(session, targets, decision.after(), input);
            return Multi.createFrom().iterable(decision.effects())
                    .onItem().transformToUniAndConcatenate(effect -> carryOut(session, effect))
                    .collect().last()
                    .replaceWith(!decision.after().equals(before) || !decision.effects().isEmpty());
        }));
    }

    /** Runs a change of a session in one transaction, then lets live progress see the committed session. */
    public Uni<SessionView> commit(Supplier<Uni<UUID>> change) {
        return Panache.withTransaction(change).chain(this::announce);
    }

    /**
     * The one place live progress hears of a committed change of a session. A session that ended has its tokens
     * forgotten again here, after the commit that deleted them: a lookup racing that commit may have kept one.
     */
    public Uni<SessionView> announce(UUID sessionId) {
        return Panache.withSession(() -> view(sessionId)).invoke(view -> {
            if (view != null && view.state().isTerminal()) {
                tokens.forgetSession(sessionId);
            }
            changes.announce(sessionId);
        });
    }

    public Uni<CloneSession> find(UUID id) {
        return CloneSession.<CloneSession>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("clone session", id));
    }

    public Uni<List<SessionTarget>> targets(UUID sessionId) {
        return SessionTarget.list("sessionId", sessionId);
    }

    public Uni<SessionView> view(UUID sessionId) {
        return find(sessionId).chain(session -> targets(sessionId).map(targets -> SessionView.of(session, targets)));
    }

    /**
     * The session with its row locked until the transaction ends: two targets completing at the same moment would
     * otherwise each read the other as still running (READ COMMITTED) and neither would complete the session.
     */
    private Uni<CloneSession> findForUpdate(UUID id) {
        return CloneSession.<CloneSession>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> ApiException.notFound("clone session", id));
    }

    /** What the machine reads of the stored session. */
    static SessionFacts facts(CloneSession session, List<SessionTarget> targets) {
        return new SessionFacts(session.id, session.sourceNodeId, session.sourceDiskId, session.mode,
                session.resizeMode, session.targetsRun, session.swarm, session.state, session.stagingStatus,
                session.manifestSha256, session.directAddress, "complete".equals(session.sourcePhase), session.updatedAt,
                session.sourceLastSeenAt, session.failureReason, targets.stream()
                        // In the order operators see them (SessionView), so that targets[i] in an answer is theirs.
                        .sorted(Comparator.comparing(target -> target.nodeId)).map(target -> new TargetFacts(
                        target.nodeId, target.diskId, target.state, changedAt(session, target), target.lastSeenAt,
                        target.failureReason, plan(target))).toList());
    }

    private static OffsetDateTime changedAt(CloneSession session, SessionTarget target) {
        if (target.stateChangedAt != null) {
            return target.stateChangedAt;
        }
        return target.lastSeenAt != null ? target.lastSeenAt : session.updatedAt;
    }

    private static PlanFacts plan(SessionTarget target) {
        if (target.plan == null || target.planVersion == null) {
            return null;
        }
        try {
            return new PlanFacts(target.planDiskId == null ? target.diskId : target.planDiskId, target.planVersion,
                    EventCodec.mapper().readValue(target.plan, ResizePlan.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored plan of target " + target.nodeId + " is unreadable", e);
        }
    }

    /** Writes the decided state and the details the input carries. */
    private void write(CloneSession session, List<SessionTarget> targets, SessionFacts after, SessionInput input) {
        boolean sourceStopped = after.sourceDone() && !"complete".equals(session.sourcePhase);
        session.state = after.state();
        session.failureReason = after.failureReason();
        session.updatedAt = after.changedAt();
        session.stagingStatus = after.stagingStatus();
        session.manifestSha256 = after.manifestSha256();
        session.sourceLastSeenAt = after.sourceLastSeenAt();
        if (sourceStopped) {
            session.sourcePhase = "complete";
        }
        for (SessionTarget target : targets) {
            TargetFacts facts = after.target(target.nodeId);
            if (facts.state() != target.state && facts.state() == TargetState.FAILED
                    && input instanceof SessionInput.DeadlineCheck) {
                LOG.warnf("clone session %s: %s", session.id, facts.failureReason());
            }
            target.state = facts.state();
            target.stateChangedAt = facts.changedAt();
            target.lastSeenAt = facts.lastSeenAt();
            target.failureReason = facts.failureReason();
        }
        switch (input) {
            case SessionInput.Start start when session.state == SessionState.PROVISIONING ->
                    session.stagingSizeBytes = start.sourceDiskBytes().getAsLong();
            case SessionInput.StagingChanged changed when changed.stagingPath() != null ->
                    session.stagingPath = changed.stagingPath();
            case SessionInput.SourceProgress progress -> {
                session.sourcePhase = progress.report().phase().jsonName();
                session.sourceBytesDone = progress.report().bytesDone();
                session.sourceBytesTotal = progress.report().bytesTotal();
                session.sourceRate = progress.report().rateBytesPerSecond();
            }
            case SessionInput.TargetProgress progress -> targets.stream()
                    .filter(target -> target.nodeId.equals(progress.nodeId())).forEach(target -> {
                        target.phase = progress.report().phase().jsonName();
                        target.bytesDone = progress.report().bytesDone();
                        target.bytesTotal = progress.report().bytesTotal();
                        target.rate = progress.report().rateBytesPerSecond();
                    });
            case SessionInput.SourceImageComplete complete -> session.imageSizeBytes = complete.imageSizeBytes();
            case SessionInput.SourceListening listening -> session.directPort = listening.port();
            case SessionInput.TargetComplete complete -> targets.stream()
                    .filter(target -> target.nodeId.equals(complete.nodeId())).forEach(target -> target.phase = "complete");
            default -> {
                // the input carries no details beyond what the machine decided
            }
        }
    }

    private Uni<?> carryOut(CloneSession session, Effect effect) {
        UUID id = session.id;
        return switch (effect) {
            case Effect.Ended ended -> {
                if (ended.state() == SessionState.FAILED) {
                    LOG.warnf("clone session %s failed: %s", session.id, ended.reason());
                } else {
                    LOG.infof("clone session %s %s%s", session.id, ended.state().jsonName(),
                            ended.reason() == null ? "" : ": " + ended.reason());
                }
                Uni<Long> voided = NodeToken.delete("sessionId", session.id).invoke(() -> tokens.forgetSession(id));
                yield voided.chain(() -> switch (ended.state()) {
                    case COMPLETED -> outbox.publish(EventCatalog.CLONE_SESSION_COMPLETED,
                            new CloneSessionCompleted(id, ended.reason()));
                    case CANCELLED -> outbox.publish(EventCatalog.CLONE_SESSION_CANCELLED,
                            new CloneSessionCancelled(id, ended.reason()));
                    case FAILED -> outbox.publish(EventCatalog.CLONE_SESSION_FAILED,
                            new CloneSessionFailed(id, ended.reason()));
                    case CREATED, PROVISIONING, SOURCE_ARMED, UPLOADING, UPLOADED, DOWNLOADING ->
                            throw new IllegalStateException("a session does not end as " + ended.state());
                });
            }
            case Effect.StagingRequested requested -> outbox.publish(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                    new CloneSessionStagingRequested(id, session.stagingBackendId, requested.sizeBytes()));
            case Effect.SourceRepaired repaired -> outbox.publish(EventCatalog.CLONE_SESSION_SOURCE_REPAIRED,
                    new CloneSessionSourceRepaired(id, repaired.repairs()));
            case Effect.SwarmPeerDropped dropped -> outbox.publish(EventCatalog.CLONE_SESSION_SWARM_PEER_DROPPED,
                    new CloneSessionSwarmPeerDropped(id, dropped.nodeId().toString(), dropped.peerNodeId().toString(),
                            dropped.reason(), dropped.chunk()));
            case Effect.SourceImageCompleted completed -> outbox.publish(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED,
                    new CloneSessionSourceCompleted(id, session.imageSizeBytes == null ? 0 : session.imageSizeBytes,
                            completed.manifestSha256(), completed.repairs()));
        };
    }

    private static ApiException answer(Refusal refusal) {
        return switch (refusal.kind()) {
            case CONFLICT -> ApiException.conflict(refusal.getMessage());
            case FORBIDDEN -> ApiException.forbidden(refusal.getMessage());
            case UNPROCESSABLE -> ApiException.unprocessable(refusal.getMessage(), refusal.fields().stream()
                    .map(field -> new ApiError.FieldError(field.field(), field.reason())).toList());
        };
    }
}
