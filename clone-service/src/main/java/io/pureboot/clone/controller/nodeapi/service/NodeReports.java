package io.pureboot.clone.controller.nodeapi.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.controller.nodeapi.rest.FailureReport;
import io.pureboot.clone.controller.nodeapi.rest.Instructions;
import io.pureboot.clone.controller.nodeapi.rest.ProgressReport;
import io.pureboot.clone.controller.nodeapi.rest.SourceComplete;
import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.security.NodeCaller;
import io.pureboot.clone.controller.security.NodeRole;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.service.SessionLifecycle;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.CloneSessionSourceCompleted;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.Function;

/**
 * What node agents report, applied to their session. Every call acts only on the session and role
 * of the caller's token, and repeating a call that already took effect changes nothing.
 */
@ApplicationScoped
public class NodeReports {

    private final SessionLifecycle lifecycle;
    private final Outbox outbox;
    private final SessionChanges changes;

    public NodeReports(SessionLifecycle lifecycle, Outbox outbox, SessionChanges changes) {
        this.lifecycle = lifecycle;
        this.outbox = outbox;
        this.changes = changes;
    }

    public Uni<Instructions> instructions(NodeCaller caller) {
        if (caller.role() == NodeRole.INVENTORY) {
            return Uni.createFrom().item(new Instructions(null, "inventory", NodeRole.INVENTORY, null, null, null, null));
        }
        return Panache.withSession(() -> activeSession(caller).chain(session -> {
            String mode = "clone-" + caller.role().name().toLowerCase(Locale.ROOT) + "-"
                    + session.mode.name().toLowerCase(Locale.ROOT);
            if (caller.role() == NodeRole.SOURCE) {
                return Uni.createFrom().item(new Instructions(session.id, mode, NodeRole.SOURCE, session.sourceDiskId,
                        session.resizeMode, null, null));
            }
            return target(caller).map(target -> new Instructions(session.id, mode, NodeRole.TARGET, target.diskId,
                    session.resizeMode, target.plan == null ? null : readPlan(target.plan), target.planVersion));
        }));
    }

    public Uni<Void> progress(NodeCaller caller, ProgressReport report) {
        return change(caller, session -> switch (caller.role()) {
            case SOURCE -> {
                session.sourcePhase = report.phase();
                session.sourceBytesDone = report.bytesDone();
                session.sourceBytesTotal = report.bytesTotal();
                session.sourceRate = report.rateBytesPerSecond();
                session.sourceLastSeenAt = now();
                yield session.state == SessionState.SOURCE_ARMED
                        ? lifecycle.moveTo(session, SessionState.UPLOADING, null).replaceWithVoid()
                        : Uni.createFrom().voidItem();
            }
            case TARGET -> target(caller).chain(target -> {
                if (target.state == TargetState.PENDING) {
                    return Uni.createFrom().failure(ApiException.conflict("this target is not armed yet"));
                }
                if (target.state.isTerminal()) {
                    return Uni.createFrom().failure(ApiException.conflict("this target is " + target.state.name()
                            .toLowerCase(Locale.ROOT)));
                }
                target.state = TargetState.DOWNLOADING;
                target.phase = report.phase();
                target.bytesDone = report.bytesDone();
                target.bytesTotal = report.bytesTotal();
                target.rate = report.rateBytesPerSecond();
                target.lastSeenAt = now();
                // Direct targets pull while the source is still uploading.
                boolean firstDownload = session.state == SessionState.UPLOADED
                        || session.mode == CloneMode.DIRECT && session.state == SessionState.UPLOADING;
                return firstDownload
                        ? lifecycle.moveTo(session, SessionState.DOWNLOADING, null).replaceWithVoid()
                        : Uni.createFrom().voidItem();
            });
            case INVENTORY -> Uni.createFrom().voidItem();
        });
    }

    public Uni<Void> sourceComplete(NodeCaller caller, SourceComplete report) {
        if (caller.role() != NodeRole.SOURCE) {
            return Uni.createFrom().failure(ApiException.forbidden("only the source reports source-complete"));
        }
        return change(caller, session -> {
            if (report.manifestSha256().equals(session.manifestSha256)) {
                return Uni.createFrom().voidItem();
            }
            session.imageSizeBytes = report.imageSizeBytes();
            session.manifestSha256 = report.manifestSha256();
            session.sourcePhase = "complete";
            session.sourceLastSeenAt = now();
            return lifecycle.moveTo(session, SessionState.UPLOADED, null)
                    .call(() -> outbox.publish(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED, new CloneSessionSourceCompleted(
                            session.id.toString(), report.imageSizeBytes(), report.manifestSha256())))
                    .chain(() -> lifecycle.armTargetsWhenSealed(session))
                    .replaceWithVoid();
        });
    }

    public Uni<Void> complete(NodeCaller caller) {
        return switch (caller.role()) {
            case INVENTORY -> Uni.createFrom().voidItem();
            case SOURCE -> change(caller, session -> {
                if (session.mode != CloneMode.DIRECT) {
                    return Uni.createFrom().failure(ApiException.forbidden(
                            "a staged source reports source-complete; complete is for targets and direct sources"));
                }
                // The session itself ends with its targets; the source only says it stopped serving.
                session.sourcePhase = "complete";
                session.sourceLastSeenAt = now();
                return Uni.createFrom().voidItem();
            });
            case TARGET -> change(caller, session -> target(caller).chain(target -> {
                if (target.state == TargetState.COMPLETED) {
                    return Uni.createFrom().voidItem();
                }
                if (target.state != TargetState.ARMED && target.state != TargetState.DOWNLOADING) {
                    return Uni.createFrom().failure(ApiException.conflict("this target is "
                            + target.state.name().toLowerCase(Locale.ROOT) + " and cannot complete"));
                }
                target.state = TargetState.COMPLETED;
                target.phase = "complete";
                target.lastSeenAt = now();
                return lifecycle.settleTargets(session).replaceWithVoid();
            }));
        };
    }

    public Uni<Void> failed(NodeCaller caller, FailureReport report) {
        String reason = caller.role().name().toLowerCase(Locale.ROOT) + " node " + caller.nodeId() + " failed: "
                + report.code() + ": " + report.message();
        return switch (caller.role()) {
            case INVENTORY -> Uni.createFrom().voidItem();
            case SOURCE -> change(caller, session -> lifecycle.moveTo(session, SessionState.FAILED, reason).replaceWithVoid());
            case TARGET -> change(caller, session -> target(caller).chain(target -> {
                if (target.state.isTerminal()) {
                    return Uni.createFrom().voidItem();
                }
                target.state = TargetState.FAILED;
                target.failureReason = reason;
                return lifecycle.settleTargets(session).replaceWithVoid();
            }));
        };
    }

    /** Applies a change to the caller's running session in one transaction, then streams the result. */
    private Uni<Void> change(NodeCaller caller, Function<CloneSession, Uni<Void>> change) {
        return Panache.withTransaction(() -> lifecycle.findForUpdate(caller.sessionId()).chain(NodeReports::running)
                        .chain(session -> change.apply(session)))
                .invoke(() -> changes.announce(caller.sessionId()))
                .replaceWithVoid();
    }

    private Uni<CloneSession> activeSession(NodeCaller caller) {
        return lifecycle.find(caller.sessionId()).chain(NodeReports::running);
    }

    private static Uni<CloneSession> running(CloneSession session) {
        return session.state.isTerminal()
                ? Uni.createFrom().failure(ApiException.conflict("clone session " + session.id + " is "
                        + session.state.jsonName()))
                : Uni.createFrom().item(session);
    }

    private static Uni<SessionTarget> target(NodeCaller caller) {
        return SessionTarget.<SessionTarget>findById(new SessionTarget.Key(caller.sessionId(), caller.nodeId()))
                .onItem().ifNull().failWith(() -> ApiException.forbidden("this node is not a target of the session"));
    }

    private static ResizePlan readPlan(String json) {
        try {
            return EventCodec.mapper().readValue(json, ResizePlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored plan is unreadable", e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

}
