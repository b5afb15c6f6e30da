package io.pureboot.clone.controller.session.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.TargetState;
import io.pureboot.clone.controller.session.machine.SessionInput;
import io.pureboot.clone.controller.session.SessionTarget;
import io.pureboot.clone.controller.storage.StorageBackendView;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.events.storage.StorageBackendChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Hands the other services' news to the sessions: staging statuses go to the session machine, plans to their
 * targets, backends to the local view of them. Runs inside the inbox transaction;
 * an event that no longer applies (a late one for an ended session) is logged and dropped.
 */
@ApplicationScoped
public class Orchestrator {

    private static final Logger LOG = Logger.getLogger(Orchestrator.class);

    private final SessionEngine engine;

    public Orchestrator(SessionEngine engine) {
        this.engine = engine;
    }

    public Uni<Void> stagingStatusChanged(StagingStatusChanged event) {
        UUID id = event.sessionId();
        return CloneSession.<CloneSession>findById(id).chain(session -> {
            if (session == null) {
                LOG.debugf("staging event for unknown session %s dropped", id);
                return Uni.createFrom().voidItem();
            }
            return engine.applyWithin(id, new SessionInput.StagingChanged(event.status(), event.stagingPath(),
                    event.reason())).replaceWithVoid();
        });
    }

    /**
     * Keeps the latest plan of each target, keyed (session, node, disk) as the planner keys them: a newer version for
     * the chosen disk replaces the stored one, a plan for another disk never replaces one for the chosen disk, and a
     * target keeps the plan it was armed with (a later version reaches the next session, not a running restore).
     */
    public Uni<Void> planPublished(ResizePlanPublished event) {
        UUID sessionId = event.sessionId();
        UUID nodeId = uuidOrNull(event.targetNodeId());
        if (sessionId == null || nodeId == null || event.targetDiskId() == null) {
            LOG.debugf("plan for %s / %s (not ids of ours) dropped", event.sessionId(), event.targetNodeId());
            return Uni.createFrom().voidItem();
        }
        return SessionTarget.<SessionTarget>findById(new SessionTarget.Key(sessionId, nodeId)).chain(target -> {
            if (target == null || !replaces(target, event)) {
                return Uni.createFrom().voidItem();
            }
            try {
                target.plan = EventCodec.mapper().writeValueAsString(event.plan());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot store the plan of " + nodeId, e);
            }
            target.planVersion = event.version();
            target.planDiskId = event.targetDiskId();
            return Uni.createFrom().voidItem();
        });
    }

    private static boolean replaces(SessionTarget target, ResizePlanPublished event) {
        if (target.state != TargetState.PENDING) {
            LOG.infof("plan version %d of target %s of clone session %s arrived when the target was %s; it keeps the "
                    + "plan it was armed with", event.version(), target.nodeId, target.sessionId, target.state.jsonName());
            return false;
        }
        boolean forChosenDisk = event.targetDiskId().equals(target.diskId);
        boolean storedForChosenDisk = target.plan != null && target.diskId.equals(target.planDiskId);
        if (forChosenDisk != storedForChosenDisk) {
            return forChosenDisk;
        }
        return target.plan == null || !event.targetDiskId().equals(target.planDiskId)
                || target.planVersion == null || target.planVersion < event.version();
    }

    public Uni<Void> backendChanged(StorageBackendChanged event) {
        return StorageBackendView.<StorageBackendView>findById(event.backendId()).chain(existing -> {
            if (event.change() == StorageBackendChanged.Change.DELETED) {
                return existing == null ? Uni.createFrom().voidItem() : existing.delete();
            }
            StorageBackendView view = existing == null ? new StorageBackendView() : existing;
            view.id = event.backendId();
            view.name = event.name();
            view.backendType = event.backendType().name().toLowerCase(Locale.ROOT);
            view.enabled = event.enabled();
            return view.persist().replaceWithVoid();
        });
    }

    /**
     * Other producers on the shared topics (tests, other installations) may name sessions that are not
     * UUIDs: such an event cannot be about a session of ours and must not stop the consumer.
     */
    private static UUID uuidOrNull(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }
}
