package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.node.Node;
import io.pureboot.clone.controller.node.service.NodeService;
import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.rest.SessionRequest;
import io.pureboot.clone.controller.session.rest.SessionView;
import io.pureboot.clone.controller.session.rest.TargetRequest;
import io.pureboot.clone.controller.storage.StorageBackendView;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.CloneSessionDefined;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiError.FieldError;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What operators do with sessions. Every change commits with its event, then reaches the live streams. */
@ApplicationScoped
public class SessionService {

    private final SessionLifecycle lifecycle;
    private final NodeService nodes;
    private final Outbox outbox;
    private final SessionChanges changes;

    public SessionService(SessionLifecycle lifecycle, NodeService nodes, Outbox outbox, SessionChanges changes) {
        this.lifecycle = lifecycle;
        this.nodes = nodes;
        this.outbox = outbox;
        this.changes = changes;
    }

    public Uni<SessionView> create(SessionRequest request) {
        return inTransaction(() -> validate(request).chain(() -> {
            CloneSession session = new CloneSession();
            session.id = UUID.randomUUID();
            session.state = SessionState.CREATED;
            session.createdAt = SessionLifecycle.now();
            define(session, request);
            return session.<CloneSession>persist()
                    .chain(() -> replaceTargets(session, request.targets()))
                    .chain(() -> announceDefinition(session, request.targets()))
                    .replaceWith(session.id);
        }));
    }

    /** Redefines a session that has not started; 409 once it has. */
    public Uni<SessionView> update(UUID id, SessionRequest request) {
        return inTransaction(() -> lifecycle.find(id).chain(session -> {
            if (session.state != SessionState.CREATED) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + id + " is "
                        + session.state.jsonName() + "; only a created session can be changed"));
            }
            return validate(request).chain(() -> {
                define(session, request);
                return SessionTarget.delete("sessionId", id)
                        .chain(() -> replaceTargets(session, request.targets()))
                        .chain(() -> announceDefinition(session, request.targets()))
                        .replaceWith(id);
            });
        }));
    }

    public Uni<List<SessionView>> list() {
        return Panache.withSession(() -> CloneSession.<CloneSession>list("order by createdAt desc")
                .chain(sessions -> sessions.isEmpty() ? Uni.createFrom().item(List.<SessionView>of())
                        : SessionTarget.<SessionTarget>list("sessionId in ?1", sessions.stream().map(s -> s.id).toList())
                                .map(targets -> {
                                    Map<UUID, List<SessionTarget>> bySession = targets.stream()
                                            .collect(Collectors.groupingBy(target -> target.sessionId));
                                    return sessions.stream().map(session -> SessionView.of(session,
                                            bySession.getOrDefault(session.id, List.of()))).toList();
                                })));
    }

    public Uni<SessionView> get(UUID id) {
        return Panache.withSession(() -> lifecycle.view(id));
    }

    /** Deletes a session that never started or has ended; 409 while it runs. */
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> lifecycle.find(id).chain(session -> {
            if (session.state != SessionState.CREATED && !session.state.isTerminal()) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + id + " is "
                        + session.state.jsonName() + "; cancel it before deleting it"));
            }
            return session.delete();
        }));
    }

    /**
     * Starts a session. Staged: asks storage-service for a staging area as large as the source disk;
     * the source is armed when the area is provisioned. Direct: there is no staging, the source is
     * armed at once and the targets when it says it listens.
     */
    public Uni<SessionView> start(UUID id) {
        return inTransaction(() -> lifecycle.find(id).chain(session -> nodes.diskSize(session.sourceNodeId,
                session.sourceDiskId).chain(size -> {
                    if (size.isEmpty()) {
                        return Uni.createFrom().failure(ApiException.invalidField("source_disk_id", "node "
                                + session.sourceNodeId + " has not reported disk " + session.sourceDiskId
                                + "; boot it into inventory mode first"));
                    }
                    if (session.mode == CloneMode.DIRECT) {
                        return lifecycle.moveTo(session, SessionState.SOURCE_ARMED, null).replaceWith(session.id);
                    }
                    session.stagingSizeBytes = size.getAsLong();
                    return lifecycle.moveTo(session, SessionState.PROVISIONING, null)
                            .call(() -> outbox.publish(EventCatalog.CLONE_SESSION_STAGING_REQUESTED,
                                    new CloneSessionStagingRequested(session.id.toString(), session.stagingBackendId,
                                            size.getAsLong())))
                            .replaceWith(session.id);
                })));
    }

    public Uni<SessionView> cancel(UUID id, String reason) {
        return inTransaction(() -> lifecycle.find(id)
                .chain(session -> lifecycle.moveTo(session, SessionState.CANCELLED,
                        reason == null || reason.isBlank() ? "cancelled by an operator" : reason))
                .replaceWith(id));
    }

    /** Starts the targets of a session whose image waits in staging (targets_run on_request). */
    public Uni<SessionView> startTargets(UUID id) {
        return inTransaction(() -> lifecycle.find(id).chain(session -> {
            if (session.state != SessionState.UPLOADED) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + id + " is "
                        + session.state.jsonName() + "; targets start once the image is uploaded"));
            }
            if (session.stagingStatus != StagingStatus.READY && session.stagingStatus != StagingStatus.DOWNLOADING) {
                return Uni.createFrom().failure(ApiException.conflict("the image of clone session " + id
                        + " is not sealed in staging yet; retry once its staging status is ready"));
            }
            return lifecycle.armTargets(session).replaceWith(id);
        }));
    }

    /** Runs a change in one transaction, then sends the committed session to the live streams. */
    private Uni<SessionView> inTransaction(Supplier<Uni<UUID>> change) {
        return Panache.withTransaction(change)
                .chain(id -> Panache.withSession(() -> lifecycle.view(id)))
                .invoke(view -> changes.announce(view.id()));
    }

    private static void define(CloneSession session, SessionRequest request) {
        session.name = request.name().strip();
        session.mode = request.cloneMode();
        session.sourceNodeId = request.sourceNodeId();
        session.sourceDiskId = request.sourceDiskId();
        session.resizeMode = request.resizeModeOrDefault();
        session.targetsRun = request.targetsRunOrDefault();
        session.stagingBackendId = request.stagingBackendId();
        session.updatedAt = SessionLifecycle.now();
    }

    private Uni<Void> replaceTargets(CloneSession session, List<TargetRequest> targets) {
        List<SessionTarget> rows = targets.stream().map(request -> {
            SessionTarget target = new SessionTarget();
            target.sessionId = session.id;
            target.nodeId = request.nodeId();
            target.diskId = request.diskId();
            target.state = TargetState.PENDING;
            return target;
        }).toList();
        return SessionTarget.persist(rows);
    }

    private Uni<?> announceDefinition(CloneSession session, List<TargetRequest> targets) {
        return outbox.publish(EventCatalog.CLONE_SESSION_DEFINED, new CloneSessionDefined(session.id.toString(),
                session.mode, session.sourceNodeId.toString(), session.sourceDiskId,
                targets.stream().map(target -> new TargetRef(target.nodeId().toString(), target.diskId())).toList(),
                session.resizeMode, session.stagingBackendId));
    }

    /** The rules Bean Validation cannot see: nodes exist, no node twice, the backend fits the mode. */
    private Uni<Void> validate(SessionRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < request.targets().size(); i++) {
            UUID target = request.targets().get(i).nodeId();
            if (target.equals(request.sourceNodeId())) {
                errors.add(new FieldError("targets[" + i + "].node_id", "is the source node"));
            } else if (!seen.add(target)) {
                errors.add(new FieldError("targets[" + i + "].node_id", "appears twice"));
            }
        }
        boolean staged = request.cloneMode() == CloneMode.STAGED;
        boolean hasBackend = request.stagingBackendId() != null && !request.stagingBackendId().isBlank();
        if (staged && !hasBackend) {
            errors.add(new FieldError("staging_backend_id", "is required for a staged session"));
        }
        if (!staged && hasBackend) {
            errors.add(new FieldError("staging_backend_id", "must be absent for a direct session"));
        }
        if (!staged && request.targetsRunOrDefault() == TargetsRun.ON_REQUEST) {
            errors.add(new FieldError("targets_run", "must be after_upload for a direct session: its targets pull "
                    + "from the source while it serves"));
        }
        List<UUID> nodeIds = new ArrayList<>(seen);
        nodeIds.add(request.sourceNodeId());
        return Node.<Node>list("id in ?1", nodeIds).chain(found -> {
            Set<UUID> known = new HashSet<>(found.stream().map(node -> node.id).toList());
            if (!known.contains(request.sourceNodeId())) {
                errors.add(new FieldError("source_node_id", "no node " + request.sourceNodeId() + " is registered"));
            }
            for (int i = 0; i < request.targets().size(); i++) {
                if (!known.contains(request.targets().get(i).nodeId())) {
                    errors.add(new FieldError("targets[" + i + "].node_id", "no node "
                            + request.targets().get(i).nodeId() + " is registered"));
                }
            }
            if (!staged || !hasBackend) {
                return Uni.createFrom().voidItem();
            }
            return StorageBackendView.<StorageBackendView>findById(request.stagingBackendId()).invoke(backend -> {
                if (backend == null) {
                    errors.add(new FieldError("staging_backend_id", "no storage backend "
                            + request.stagingBackendId() + " is known"));
                } else if (!backend.enabled) {
                    errors.add(new FieldError("staging_backend_id", "storage backend " + backend.name + " is disabled"));
                }
            }).replaceWithVoid();
        }).chain(() -> errors.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(ApiException.unprocessable(errors.stream()
                        .map(error -> error.field() + ": " + error.reason()).reduce((a, b) -> a + "; " + b).orElseThrow(),
                        errors)));
    }
}
