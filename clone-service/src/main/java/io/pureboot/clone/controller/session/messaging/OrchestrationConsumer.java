package io.pureboot.clone.controller.session.messaging;

import io.pureboot.clone.controller.progress.SessionChanges;
import io.pureboot.clone.controller.session.service.Orchestrator;
import io.pureboot.clone.controller.session.service.SessionLifecycle;
import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.MalformedEventException;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.platform.outbox.EventHandlers;
import io.pureboot.clone.platform.outbox.EventInbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Storage and plan events that move sessions on, each applied once. */
@ApplicationScoped
public class OrchestrationConsumer {

    private static final String CONSUMER = "clone.orchestration";

    private final EventInbox inbox;
    private final EventHandlers handlers;
    private final SessionLifecycle lifecycle;
    private final SessionChanges changes;

    public OrchestrationConsumer(EventInbox inbox, Orchestrator orchestrator, SessionLifecycle lifecycle,
            SessionChanges changes) {
        this.inbox = inbox;
        this.lifecycle = lifecycle;
        this.changes = changes;
        this.handlers = EventHandlers.builder()
                .on(EventCatalog.STAGING_STATUS_CHANGED, orchestrator::stagingStatusChanged)
                .on(EventCatalog.STORAGE_BACKEND_CHANGED, orchestrator::backendChanged)
                .on(EventCatalog.RESIZE_PLAN_PUBLISHED, orchestrator::planPublished)
                .build();
    }

    @Incoming("orchestration")
    public Uni<Void> consume(String record) {
        return inbox.receive(CONSUMER, record, handlers).call(() -> streamSession(record));
    }

    /** After the inbox committed, shows the session the event was about on the live streams. */
    private Uni<Void> streamSession(String record) {
        UUID sessionId;
        try {
            CloudEvent event = EventCodec.fromJson(record);
            if (!EventCatalog.STAGING_STATUS_CHANGED.name().equals(event.type())) {
                return Uni.createFrom().voidItem();
            }
            sessionId = UUID.fromString(event.subject());
        } catch (MalformedEventException | IllegalArgumentException notASession) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> lifecycle.view(sessionId))
                .invoke(view -> changes.announce(view.id()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
