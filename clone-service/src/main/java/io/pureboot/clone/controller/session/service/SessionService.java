package io.pureboot.clone.controller.session.service;

import io.pureboot.clone.controller.node.Node;
import io.pureboot.clone.controller.node.service.NodeService;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.session.SessionView;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.TargetsRun;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.storage.StorageBackendView;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.CloneSessionDefined;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiError.FieldError;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What operators do with sessions. Every change commits with its event, then reaches the live streams. */
@ApplicationScoped
public class SessionService {

    private final SessionEngine engine;
    private final NodeService nodes;
    private final Outbox outbox;

    public SessionService(SessionEngine engine, NodeService nodes, Outbox outbox) {
        this.engine = engine;
        this.nodes = nodes;
        this.outbox = outbox;
    }

    public Uni<SessionView> create(DefineSession request) {
        return engine.commit(() -> validate(request).chain(() -> {
            CloneSession session = new CloneSession();
            session.id = UUID.randomUUID();
            session.state = SessionState.CREATED;
            session.createdAt = engine.now();
            define(session, request);
            return session.<CloneSession>persist()
                    .chain(() -> replaceTargets(session, request.targets(), List.of()))
                    .chain(() -> announceDefinition(session, request.targets()))
                    .replaceWith(session.id);
        }));
    }

    /** Redefines a session that has not started; 409 once it has. */
    public Uni<SessionView> update(UUID id, DefineSession request) {
        return engine.commit(() -> engine.find(id).chain(session -> {
            if (session.state != SessionState.CREATED) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + id + " is "
                        + session.state.jsonName() + "; only a created session can be changed"));
            }
            return validate(request).chain(() -> {
                define(session, request);
                return engine.targets(id)
                        .chain(previous -> replaceTargets(session, request.targets(), previous))
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
        return Panache.withSession(() -> engine.view(id));
    }

    /** Deletes a session that never started or has ended; 409 while it runs. */
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> engine.find(id).chain(session -> {
            if (session.state != SessionState.CREATED && !session.state.isTerminal()) {
                return Uni.createFrom().failure(ApiException.conflict("clone session " + id + " is "
                        + session.state.jsonName() + "; cancel it before deleting it"));
            }
            return session.delete();
        }));
    }

    /**
     * Starts a session, only when the source disk is known and every target has a current feasible plan for its
     * chosen disk (422 names each target and why otherwise). Staged: asks storage-service for a staging area as
     * large as the source disk; the source is armed when the area is provisioned. Direct: there is no staging, the
     * source is armed at once and the targets when it says it listens.
     */
    public Uni<SessionView> start(UUID id) {
        return engine.commit(() -> engine.find(id).chain(session -> engine.targets(id).chain(targets ->
                nodes.diskSize(session.sourceNodeId, session.sourceDiskId).chain(sourceSize ->
                        Multi.createFrom().iterable(targets)
                                .onItem().transformToUniAndConcatenate(target -> nodes.diskSize(target.nodeId,
                                        target.diskId).map(size -> Map.entry(target.nodeId, size)))
                                .collect().asList()
                                .map(sizes -> {
                                    Map<UUID, Long> known = new HashMap<>();
                                    sizes.stream().filter(entry -> entry.getValue().isPresent())
                                            .forEach(entry -> known.put(entry.getKey(), entry.getValue().getAsLong()));
                                    return new SessionInput.Start(sourceSize, known);
                                })))
                .chain(input -> engine.applyWithin(id, input)).replaceWith(id)));
    }

    public Uni<SessionView> cancel(UUID id, String reason) {
        return engine.apply(id, new SessionInput.Cancel(reason));
    }

    /** Starts the targets of a session whose image waits in staging (targets_run on_request). */
    public Uni<SessionView> startTargets(UUID id) {
        return engine.apply(id, new SessionInput.StartTargets());
    }

    private void define(CloneSession session, DefineSession request) {
        session.name = request.name().strip();
        session.mode = request.mode();
        session.sourceNodeId = request.sourceNodeId();
        session.sourceDiskId = request.sourceDiskId();
        session.resizeMode = request.resizeMode();
        session.repairSource = request.repairSource();
        session.swarm = request.swarm();
        session.targetsRun = request.targetsRun();
        session.stagingBackendId = request.stagingBackendId();
        session.updatedAt = engine.now();
    }

    /**
     * The session's targets as defined now, each waiting for the image. A target that keeps its node and disk keeps
     * the plan it had: plans are keyed (session, node, disk), and renaming a session does not outdate them. Rows of
     * nodes that stay are reused (a row deleted and inserted again in one flush would clash on its key).
     */
    private Uni<Void> replaceTargets(CloneSession session, List<DefineSession.Target> targets,
            List<SessionTarget> previous) {
        Map<UUID, SessionTarget> byNode = previous.stream()
                .collect(Collectors.toMap(target -> target.nodeId, Function.identity()));
        List<SessionTarget> added = new ArrayList<>();
        for (DefineSession.Target request : targets) {
            SessionTarget target = byNode.remove(request.nodeId());
            if (target == null) {
                target = new SessionTarget();
                target.sessionId = session.id;
                target.nodeId = request.nodeId();
                added.add(target);
            } else if (!request.diskId().equals(target.diskId)) {
                target.plan = null;
                target.planVersion = null;
                target.planDiskId = null;
            }
            target.diskId = request.diskId();
            target.state = TargetState.PENDING;
            target.stateChangedAt = session.updatedAt;
        }
        return Multi.createFrom().iterable(byNode.values())
                .onItem().transformToUniAndConcatenate(SessionTarget::delete)
                .collect().last()
                .chain(() -> added.isEmpty() ? Uni.createFrom().voidItem() : SessionTarget.persist(added));
    }

    private Uni<?> announceDefinition(CloneSession session, List<DefineSession.Target> targets) {
        return outbox.publish(EventCatalog.CLONE_SESSION_DEFINED, new CloneSessionDefined(session.id,
                session.mode, session.sourceNodeId.toString(), session.sourceDiskId,
                targets.stream().map(target -> new TargetRef(target.nodeId().toString(), target.diskId())).toList(),
                session.resizeMode, session.stagingBackendId, session.repairSource, session.swarm));
    }

    /** The rules Bean Validation cannot see: nodes exist, no node twice, the backend fits the mode. */
    private Uni<Void> validate(DefineSession request) {
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
        boolean staged = request.mode() == CloneMode.STAGED;
        boolean hasBackend = request.stagingBackendId() != null && !request.stagingBackendId().isBlank();
        if (staged && !hasBackend) {
            errors.add(new FieldError("staging_backend_id", "is required for a staged session"));
        }
        if (!staged && hasBackend) {
            errors.add(new FieldError("staging_backend_id", "must be absent for a direct session"));
        }
        if (request.repairSource() && request.resizeMode() != ResizeMode.SHRINK_SOURCE) {
            errors.add(new FieldError("repair_source", "applies only with resize_mode shrink_source: the source "
                    + "is changed (and so checked and perhaps repaired) only to shrink it"));
        }
        if (!staged && request.targetsRun() == TargetsRun.ON_REQUEST) {
            errors.add(new FieldError("targets_run", "must be after_upload for a direct session: its targets pull "
                    + "from the source while it serves"));
        }
        List<UUID> nodeIds = new ArrayList<>(seen);
        nodeIds.add(request.sourceNodeId());
        // A retired node counts as not registered: it may not take part in a new session.
        return Node.<Node>list("id in ?1 and retiredAt is null", nodeIds).chain(found -> {
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
