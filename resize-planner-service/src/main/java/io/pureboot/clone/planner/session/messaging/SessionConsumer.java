package io.pureboot.clone.planner.session.messaging;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.planner.plan.service.AutoAnalysis;
import io.pureboot.clone.planner.session.SessionStatus;
import io.pureboot.clone.planner.session.service.SessionService;
import io.pureboot.clone.platform.outbox.EventHandlers;
import io.pureboot.clone.platform.outbox.EventInbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Takes clone-session lifecycle events off the clone-sessions topic, once per event. A definition is
 * followed by the automatic analysis of the targets whose disks are known.
 */
@ApplicationScoped
public class SessionConsumer {

    private static final String CONSUMER = "planner.sessions";

    private final EventInbox inbox;
    private final EventHandlers handlers;

    public SessionConsumer(EventInbox inbox, SessionService sessions, AutoAnalysis analysis) {
        this.inbox = inbox;
        this.handlers = EventHandlers.builder()
                .on(EventCatalog.CLONE_SESSION_DEFINED, (event, defined) -> analysis.serialised(() -> sessions
                        .define(event, defined).chain(analysis::sessionDefined)))
                .on(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED,
                        (event, completed) -> sessions.sourceCaptured(event, completed.sessionId()))
                .on(EventCatalog.CLONE_SESSION_COMPLETED,
                        (event, done) -> sessions.closed(event, done.sessionId(), SessionStatus.COMPLETED))
                .on(EventCatalog.CLONE_SESSION_CANCELLED,
                        (event, done) -> sessions.closed(event, done.sessionId(), SessionStatus.CANCELLED))
                .on(EventCatalog.CLONE_SESSION_FAILED,
                        (event, done) -> sessions.closed(event, done.sessionId(), SessionStatus.FAILED))
                .build();
    }

    @Incoming("clone-sessions")
    public Uni<Void> consume(String record) {
        return inbox.receive(CONSUMER, record, handlers);
    }
}
