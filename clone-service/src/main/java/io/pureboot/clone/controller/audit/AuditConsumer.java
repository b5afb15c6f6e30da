package io.pureboot.clone.controller.audit;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.EventType;
import io.pureboot.clone.platform.outbox.EventHandlers;
import io.pureboot.clone.platform.outbox.EventInbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Writes every event of every topic to the audit trail, once. */
@ApplicationScoped
public class AuditConsumer {

    private static final String CONSUMER = "clone.audit";

    private final EventInbox inbox;
    private final EventHandlers handlers = EventHandlers.builder().otherwise(AuditConsumer::record).build();

    public AuditConsumer(EventInbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("audit")
    public Uni<Void> consume(String record) {
        return inbox.receive(CONSUMER, record, handlers);
    }

    private static Uni<Void> record(CloudEvent event) {
        AuditEntry entry = new AuditEntry();
        entry.eventId = event.id();
        entry.topic = EventCatalog.byName(event.type()).map(EventType::topic).orElse("unknown");
        entry.eventType = event.type();
        entry.subject = event.subject();
        entry.source = event.source();
        entry.eventTime = event.time();
        entry.data = event.data().toString();
        entry.actorSubject = event.actorsubject();
        entry.actorKeyId = event.actorkeyid();
        entry.actorRole = event.actorrole();
        return entry.persist().replaceWithVoid();
    }
}
