package io.pureboot.clone.events;

/**
 * The data of one event type. Every payload names the aggregate it is about, which becomes the
 * CloudEvents {@code subject} and the Kafka key.
 */
public interface EventPayload {

    /** The aggregate this event is about: a clone session id, a node id, a storage backend id. */
    String subject();
}
