package io.pureboot.clone.platform.outbox;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records an event in the caller's transaction. Call it from inside the {@code @WithTransaction}
 * method that changes state: the event and the change commit or roll back together, and
 * {@link OutboxRelay} publishes it afterwards, so neither a crash nor a broker outage loses it.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxConfig config;

    public Outbox(OutboxConfig config) {
        this.config = config;
    }

    /** Adds the event to the current transaction and returns the envelope that will be published. */
    public <T extends EventPayload> Uni<CloudEvent> publish(EventType<T> type, T payload) {
        CloudEvent event = EventCodec.wrap(config.source(), type, payload);
        OutboxEvent row = new OutboxEvent();
        row.eventId = event.id();
        row.topic = type.topic();
        row.eventKey = event.subject();
        row.eventType = event.type();
        row.envelope = EventCodec.toJson(event);
        row.createdAt = event.time();
        return row.persist().replaceWith(event);
    }
}
