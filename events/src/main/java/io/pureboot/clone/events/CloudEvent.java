package io.pureboot.clone.events;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode: the form every PureBoot event takes on Kafka.
 *
 * <p>{@code id} is unique per event and is what consumers de-duplicate on; {@code subject} is the
 * aggregate the event is about (a session id, a node id) and doubles as the Kafka record key, so
 * all events of one aggregate stay ordered on one partition.
 *
 * <p>{@code actorsubject}, {@code actorkeyid} and {@code actorrole} are CloudEvents extension attributes naming who
 * caused the event: the operator (or node) whose request wrote it. They are absent from events no request caused
 * (a deadline, another event).
 */
public record CloudEvent(
        String specversion,
        UUID id,
        String source,
        String type,
        String subject,
        OffsetDateTime time,
        String datacontenttype,
        JsonNode data,
        @JsonInclude(JsonInclude.Include.NON_NULL) String actorsubject,
        @JsonInclude(JsonInclude.Include.NON_NULL) String actorkeyid,
        @JsonInclude(JsonInclude.Include.NON_NULL) String actorrole) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public CloudEvent {
        requireNonNull(specversion, "specversion is null");
        requireNonNull(id, "id is null");
        requireNonNull(source, "source is null");
        requireNonNull(type, "type is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(time, "time is null");
        requireNonNull(data, "data is null");
        if (!SPEC_VERSION.equals(specversion)) {
            throw new IllegalArgumentException("unsupported CloudEvents specversion: " + specversion);
        }
        if (datacontenttype == null) {
            datacontenttype = JSON;
        }
    }

    /** An event no one in particular caused. */
    public CloudEvent(String specversion, UUID id, String source, String type, String subject, OffsetDateTime time,
            String datacontenttype, JsonNode data) {
        this(specversion, id, source, type, subject, time, datacontenttype, data, null, null, null);
    }

    /** The same event, caused by this actor. */
    public CloudEvent withActor(Actor actor) {
        return new CloudEvent(specversion, id, source, type, subject, time, datacontenttype, data, actor.subject(),
                actor.keyId(), actor.role());
    }
}
