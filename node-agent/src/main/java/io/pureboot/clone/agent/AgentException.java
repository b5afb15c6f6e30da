package io.pureboot.clone.agent;

import static java.util.Objects.requireNonNull;

/**
 * An expected failure of the agent: the message is one line that says what failed (device, file, command, chunk), and
 * the kind decides the exit code and the failure code reported to the clone-service. Unexpected failures are anything
 * else and exit with {@link FailureKind#INTERNAL}.
 */
public class AgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final FailureKind kind;

    public AgentException(FailureKind kind, String message) {
        this(kind, message, null);
    }

    public AgentException(FailureKind kind, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public FailureKind kind() {
        return kind;
    }
}
