package io.pureboot.clone.storage.staging.service;

/** A provisioning that cannot succeed by retrying: no space, a missing export, refused credentials. */
public final class StagingRefusedException extends Exception {

    public StagingRefusedException(String message) {
        super(message);
    }

    public StagingRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
