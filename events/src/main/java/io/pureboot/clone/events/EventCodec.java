package io.pureboot.clone.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Turns payloads into CloudEvents and CloudEvents into JSON and back. Event data uses snake_case
 * property names, like the REST APIs. Unknown properties are ignored so that a consumer keeps
 * working when a producer adds a field.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    /** The envelope attributes keep their CloudEvents names, which have no underscores to convert. */
    private static final ObjectMapper ENVELOPE_MAPPER = MAPPER.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.LOWER_CASE);

    private EventCodec() {
    }

    /** A new event with a fresh id and the current time. */
    public static <T extends EventPayload> CloudEvent wrap(String source, EventType<T> type, T payload) {
        requireNonNull(payload, "payload is null");
        return new CloudEvent(CloudEvent.SPEC_VERSION, UUID.randomUUID(), source, type.name(), payload.subject(),
                OffsetDateTime.now(ZoneOffset.UTC), CloudEvent.JSON, MAPPER.valueToTree(payload));
    }

    public static String toJson(CloudEvent event) {
        try {
            return ENVELOPE_MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event " + event.id(), e);
        }
    }

    /** Parses an envelope; the error names the problem so that a poisoned record can be logged and skipped. */
    public static CloudEvent fromJson(String json) {
        try {
            return ENVELOPE_MAPPER.readValue(json, CloudEvent.class);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    /** The typed payload of an event, checking that the event is of the expected type. */
    public static <T extends EventPayload> T payload(CloudEvent event, EventType<T> type) {
        if (!type.name().equals(event.type())) {
            throw new MalformedEventException("event " + event.id() + " is of type " + event.type()
                    + ", expected " + type.name(), null);
        }
        try {
            return MAPPER.treeToValue(event.data(), type.payloadClass());
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("event " + event.id() + " of type " + event.type()
                    + " has invalid data: " + e.getMessage(), e);
        }
    }

    /** The shared mapper, configured for the event contract (snake_case, ISO dates). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
