package io.pureboot.clone.storage.iscsi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** An iSCSI probe or management step that failed; the message never contains a password or key. */
public final class IscsiException extends IOException {

    private final IscsiFailure failure;

    public IscsiException(IscsiFailure failure, String message) {
        this(failure, message, null);
    }

    public IscsiException(IscsiFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = requireNonNull(failure, "failure is null");
    }

    public IscsiFailure failure() {
        return failure;
    }
}
