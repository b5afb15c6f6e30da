package io.pureboot.clone.planner.session.service;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.session.CloneSessionDefined;
import io.pureboot.clone.planner.session.PlannedSession;
import io.pureboot.clone.planner.session.SessionStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Keeps the planner's view of clone sessions. Runs inside the inbox transaction. */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);

    /**
     * A session was created or redefined. A new source disk or resize mode drops the capture layout,
     * unless the source has been captured already: then the image exists and its layout stays.
     * The session's row stays locked until the transaction ends, so that plans can follow at once.
     *
     * @return the session as now defined, or null when the event was ignored
     */
    public Uni<PlannedSession> define(CloudEvent event, CloneSessionDefined defined) {
        return PlannedSession.<PlannedSession>findById(defined.sessionId(), LockModeType.PESSIMISTIC_WRITE).chain(existing -> {
            if (existing != null && existing.status.closed()) {
                LOG.infof("ignored a redefinition of session %s, which is %s", defined.sessionId(), existing.status);
                return Uni.createFrom().nullItem();
            }
            PlannedSession session = existing == null ? new PlannedSession() : existing;
            boolean sourceChanged = existing != null && (!Objects.equals(existing.sourceNodeId, defined.sourceNodeId())
                    || !Objects.equals(existing.sourceDiskId, defined.sourceDiskId())
                    || existing.resizeMode != defined.resizeMode());
            if (existing == null) {
                session.sessionId = defined.sessionId();
                session.status = SessionStatus.DEFINED;
                session.definedAt = event.time();
            } else if (sourceChanged && existing.status == SessionStatus.SOURCE_CAPTURED) {
                LOG.warnf("session %s changed its source or resize mode after capture; the captured layout stays",
                        defined.sessionId());
            } else if (sourceChanged) {
                session.capture(null);
            }
            session.mode = defined.mode().name();
            session.sourceNodeId = defined.sourceNodeId();
            session.sourceDiskId = defined.sourceDiskId();
            session.resizeMode = defined.resizeMode();
            session.targetList(defined.targets());
            session.updatedAt = event.time();
            return session.<PlannedSession>persist();
        });
    }

    /** The source's image exists: from now on every plan starts from the capture layout as it is. */
    public Uni<Void> sourceCaptured(CloudEvent event, UUID sessionId) {
        return transition(event, sessionId, SessionStatus.SOURCE_CAPTURED);
    }

    public Uni<Void> closed(CloudEvent event, UUID sessionId, SessionStatus status) {
        return transition(event, sessionId, status);
    }

    private Uni<Void> transition(CloudEvent event, UUID sessionId, SessionStatus status) {
        return PlannedSession.<PlannedSession>findById(sessionId).chain(session -> {
            if (session == null) {
                LOG.infof("ignored %s for session %s, which the planner never saw defined", event.type(), sessionId);
                return Uni.createFrom().voidItem();
            }
            if (session.status.closed()) {
                return Uni.createFrom().voidItem();
            }
            session.status = status;
            session.updatedAt = event.time();
            return session.persist().replaceWithVoid();
        });
    }
}
