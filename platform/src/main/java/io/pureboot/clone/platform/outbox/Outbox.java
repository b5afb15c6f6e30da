package io.pureboot.clone.platform.outbox;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import io.pureboot.clone.platform.security.CurrentActor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records an event in the caller's transaction. Call it from inside the {@code @WithTransaction}
 * method that changes state: the event and the change commit or roll back together, and
 * {@link OutboxRelay} publishes it afterwards, so neither a crash nor a broker outage loses it.
 * An event written while serving a request carries the caller as its actor (see {@link CloudEvent}).
 */
@ApplicationScoped
public class Outbox {

    private final OutboxConfig config;
    private final CurrentActor actor;

    public Outbox(OutboxConfig config, CurrentActor actor) {
        this.config = config;
        this.actor = actor;
    }

    /** Adds the event to the current transaction and returns the envelope that will be published. */
    public <T extends EventPayload> Uni<CloudEvent> publish(EventType<T> type, T payload) {
        CloudEvent plain = EventCodec.wrap(config.source(), type, payload);
        return actor.get().chain(caller -> write(type, caller.map(plain::withActor).orElse(plain)));
    }

    private Uni<CloudEvent> write(EventType<?> type, CloudEvent event) {
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
