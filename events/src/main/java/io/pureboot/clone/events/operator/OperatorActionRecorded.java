package io.pureboot.clone.events.operator;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.events.EventPayload;

/**
 * An operator changed something through a service's API: every successful request other than a read, whether or not
 * the change also has an event of its own. The actor is in the envelope's extension attributes. {@code sessionId} is
 * set when the request was about a clone session, which is then the subject, so that the change shows in the
 * session's audit timeline; otherwise the subject is the request path.
 */
public record OperatorActionRecorded(String service, String method, String path, int status, String sessionId)
        implements EventPayload {

    public OperatorActionRecorded {
        requireNonNull(service, "service is null");
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
    }

    @Override
    public String subject() {
        return sessionId != null ? sessionId : path;
    }
}
