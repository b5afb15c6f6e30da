package io.pureboot.clone.controller.session.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.controller.session.CloneSession;
import io.pureboot.clone.controller.session.SessionState;
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
 * Moves sessions on when the other services report: a provisioned staging area arms the source,
 * a failed one fails the session, plans reach their targets. Runs inside the inbox transaction;
 * an event that no longer applies (a late one for an ended session) is logged and dropped.
 */
@ApplicationScoped
public class Orchestrator {

    private static final Logger LOG = Logger.getLogger(Orchestrator.class);

    private final SessionLifecycle lifecycle;

    public Orchestrator(SessionLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    public Uni<Void> stagingStatusChanged(StagingStatusChanged event) {
        UUID id = event.sessionId();
        return CloneSession.<CloneSession>findById(id).chain(session -> {
            if (session == null) {
                LOG.debugf("staging event for unknown session %s dropped", id);
                return Uni.createFrom().voidItem();
            }
            session.stagingStatus = event.status();
            session.stagingPath = event.stagingPath() == null ? session.stagingPath : event.stagingPath();
            session.updatedAt = SessionLifecycle.now();
            Uni<CloneSession> moved = switch (event.status()) {
                case PROVISIONED -> session.state == SessionState.PROVISIONING
                        ? lifecycle.moveTo(session, SessionState.SOURCE_ARMED, null)
                        : Uni.createFrom().item(session);
                case FAILED -> session.state.isTerminal()
                        ? Uni.createFrom().item(session)
                        : lifecycle.moveTo(session, SessionState.FAILED, "staging failed: " + event.reason());
                case READY -> lifecycle.armTargetsWhenSealed(session);
                case PENDING, PROVISIONING, UPLOADING, DOWNLOADING, CLEANUP, DELETED -> Uni.createFrom().item(session);
            };
            return moved.replaceWithVoid();
        });
    }

    public Uni<Void> planPublished(ResizePlanPublished event) {
        UUID sessionId = event.sessionId();
        UUID nodeId = uuidOrNull(event.targetNodeId());
        if (nodeId == null) {
            LOG.debugf("plan for %s / %s (not ids of ours) dropped", event.sessionId(), event.targetNodeId());
            return Uni.createFrom().voidItem();
        }
        return SessionTarget.<SessionTarget>findById(new SessionTarget.Key(sessionId, nodeId)).chain(target -> {
            if (target == null || (target.planVersion != null && target.planVersion >= event.version())) {
                return Uni.createFrom().voidItem();
            }
            try {
                target.plan = EventCodec.mapper().writeValueAsString(event.plan());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot store the plan of " + nodeId, e);
            }
            target.planVersion = event.version();
            return Uni.createFrom().voidItem();
        });
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
