package io.pureboot.clone.agent.report;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;

/** A node API call that failed for good: a 4xx, or 5xx/connection errors past the retry budget. */
public final class ApiException extends AgentException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String message, Throwable cause) {
        super(FailureKind.SERVER, message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when the server could not be reached. */
    public int status() {
        return status;
    }

    /** Whether retrying later could help (no answer, or a server error); a 4xx never will. */
    public boolean retryable() {
        return status == 0 || status >= 500;
    }
}
