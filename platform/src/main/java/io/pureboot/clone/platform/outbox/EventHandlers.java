package io.pureboot.clone.platform.outbox;

import io.pureboot.clone.events.CloudEvent;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.EventPayload;
import io.pureboot.clone.events.EventType;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What one consumer does with each event type it cares about. Types without a handler are
 * acknowledged and skipped, so a producer may add event types without breaking consumers.
 */
public final class EventHandlers {

    private final Map<String, Function<CloudEvent, Uni<Void>>> byType;
    private final Function<CloudEvent, Uni<Void>> fallback;

    private EventHandlers(Map<String, Function<CloudEvent, Uni<Void>>> byType,
            Function<CloudEvent, Uni<Void>> fallback) {
        this.byType = Map.copyOf(byType);
        this.fallback = fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    Optional<Function<CloudEvent, Uni<Void>>> find(String type) {
        return Optional.ofNullable(byType.getOrDefault(type, fallback));
    }

    /** Collects the handlers of one consumer. */
    public static final class Builder {

        private final Map<String, Function<CloudEvent, Uni<Void>>> byType = new HashMap<>();
        private Function<CloudEvent, Uni<Void>> fallback;

        private Builder() {
        }

        /** Handles events of this type with their typed payload. */
        public <T extends EventPayload> Builder on(EventType<T> type, Function<T, Uni<Void>> handler) {
            return on(type, (event, payload) -> handler.apply(payload));
        }

        /** Handles events of this type with the envelope as well (id, time, source). */
        public <T extends EventPayload> Builder on(EventType<T> type, BiFunction<CloudEvent, T, Uni<Void>> handler) {
            byType.put(type.name(), event -> handler.apply(event, EventCodec.payload(event, type)));
            return this;
        }

        /** Handles every event no typed handler took, known type or not (the audit log does this). */
        public Builder otherwise(Function<CloudEvent, Uni<Void>> handler) {
            this.fallback = handler;
            return this;
        }

        public EventHandlers build() {
            return new EventHandlers(byType, fallback);
        }
    }
}
