package io.pureboot.clone.events;

/** A record on a topic that is not a valid event of a known type. Consumers log and skip it. */
public final class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
