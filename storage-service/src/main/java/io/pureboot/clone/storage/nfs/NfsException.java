package io.pureboot.clone.storage.nfs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** An NFS operation that failed, with the kind of failure and a message naming the server and the step. */
public final class NfsException extends IOException {

    private final NfsFailure failure;

    public NfsException(NfsFailure failure, String message) {
        this(failure, message, null);
    }

    public NfsException(NfsFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = requireNonNull(failure, "failure is null");
    }

    public NfsFailure failure() {
        return failure;
    }
}
