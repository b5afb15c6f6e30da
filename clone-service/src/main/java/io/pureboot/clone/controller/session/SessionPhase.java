package io.pureboot.clone.controller.session;

import io.pureboot.clone.events.storage.StagingStatus;
import java.util.Locale;

/**
 * The phase an operator follows on the console, as the seed names them: provisioning, uploading,
 * ready, downloading, cleanup, then done. Derived from the session state and the staging status,
 * never stored, so it cannot drift from them.
 */
public enum SessionPhase {
    CREATED, PROVISIONING, UPLOADING, READY, DOWNLOADING, CLEANUP, DONE;

    public static SessionPhase of(CloneSession session) {
        return switch (session.state) {
            case CREATED -> CREATED;
            case PROVISIONING -> PROVISIONING;
            case SOURCE_ARMED, UPLOADING -> UPLOADING;
            case UPLOADED -> READY;
            case DOWNLOADING -> DOWNLOADING;
            case COMPLETED, CANCELLED, FAILED -> session.stagingStatus == null
                    || session.stagingStatus == StagingStatus.DELETED ? DONE : CLEANUP;
        };
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
