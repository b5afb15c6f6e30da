package io.pureboot.clone.events;

import static java.util.Objects.requireNonNull;

/**
 * One kind of event: its CloudEvents {@code type}, the topic it travels on and the record that
 * carries its data.
 */
public record EventType<T extends EventPayload>(String name, String topic, Class<T> payloadClass) {

    public EventType {
        requireNonNull(name, "name is null");
        requireNonNull(topic, "topic is null");
        requireNonNull(payloadClass, "payloadClass is null");
    }
}
