package io.pureboot.clone.storage.staging.messaging;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.platform.outbox.EventHandlers;
import io.pureboot.clone.platform.outbox.EventInbox;
import io.pureboot.clone.storage.staging.service.StagingService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Drives staging areas from the clone-session topic, once per event: a staging request creates an
 * area, the source's completion seals it, the session's end cleans it up.
 */
@ApplicationScoped
public class SessionEventConsumer {

    private static final String CONSUMER = "storage.staging";

    private final EventInbox inbox;
    private final EventHandlers handlers;

    public SessionEventConsumer(EventInbox inbox, StagingService staging) {
        this.inbox = inbox;
        this.handlers = EventHandlers.builder()
                .on(EventCatalog.CLONE_SESSION_STAGING_REQUESTED, staging::requested)
                .on(EventCatalog.CLONE_SESSION_SOURCE_COMPLETED, staging::sourceCompleted)
                .on(EventCatalog.CLONE_SESSION_COMPLETED, event -> staging.sessionEnded(event.sessionId(), "completed"))
                .on(EventCatalog.CLONE_SESSION_CANCELLED, event -> staging.sessionEnded(event.sessionId(), "was cancelled"))
                .on(EventCatalog.CLONE_SESSION_FAILED, event -> staging.sessionEnded(event.sessionId(), "failed"))
                .build();
    }

    @Incoming("clone-sessions")
    public Uni<Void> consume(String record) {
        return inbox.receive(CONSUMER, record, handlers);
    }
}
